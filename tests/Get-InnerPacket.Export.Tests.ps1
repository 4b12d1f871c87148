#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2.0' }
# InnerPacket as Export-Csv and ConvertTo-Json see it: every visible property is a value worth a
# column (no System.Byte[], no PacketDotNet text), while Frame, Payload, VniChain and Packet stay
# one property access away as hidden members.

BeforeAll {
    . (Join-Path $PSScriptRoot 'MirrorTools.TestSupport.ps1')
    Import-Module $ModulePath -Force -ErrorAction Stop
    $aws = Get-PublicCapture 'aws-traffic-mirror-ssh-dns.pcap'
    $hidden = 'Frame', 'Payload', 'VniChain', 'Packet'
}

Describe 'Exporting InnerPacket objects' {
    It 'writes a CSV of values only: no byte arrays, no PacketDotNet text' {
        $csv = Get-InnerPacket -Path $aws | ConvertTo-Csv
        $header = $csv[0] -split ',' | ForEach-Object Trim '"'
        $header | Should -Not -Contain 'Frame'
        $header | Should -Not -Contain 'Packet'
        $header | Should -Contain 'Info'
        $header | Should -Contain 'TimestampNanoseconds'
        $csv | Where-Object { $_ -match 'System\.(Byte|Int32)\[\]|ArraySegment|EthernetPacket' } | Should -BeNullOrEmpty
        $rows = $csv | ConvertFrom-Csv
        $rows.Count | Should -Be (Get-InnerPacket -Path $aws).Count
        $rows[20].SourceAddress | Should -Be '18.196.145.224'
    }

    It 'writes JSON without byte arrays or the PacketDotNet model' {
        $json = Get-InnerPacket -Path $aws | Select-Object -First 5 | ConvertTo-Json | ConvertFrom-Json
        foreach ($name in $hidden) { $json[0].PSObject.Properties.Name | Should -Not -Contain $name }
        $json[0].Vni | Should -Be 5569041
    }

    It 'writes flat JSON, addresses as text, with -AsArray -Depth 1' {
        $json = Get-InnerPacket -Path $aws | Select-Object -Skip 20 -First 1 |
            ConvertTo-Json -AsArray -Depth 1 -EnumsAsStrings -WarningAction Ignore | ConvertFrom-Json
        $json[0].SourceAddress | Should -Be '18.196.145.224'
        $json[0].Protocol | Should -Be 'Tcp'
    }

    It 'still hands out <_> as a hidden property' -ForEach 'Frame', 'Payload', 'VniChain', 'Packet' {
        $packet = Get-InnerPacket -Path $aws | Select-Object -Skip 20 -First 1
        $packet.$_ | Should -Not -BeNullOrEmpty
        (Get-Member -InputObject $packet -Name $_) | Should -BeNullOrEmpty
        (Get-Member -InputObject $packet -Name $_ -Force).Name | Should -Be $_
    }

    It 'keeps the bytes typed: Frame a byte[], Payload a view into it' {
        $packet = Get-InnerPacket -Path $aws | Select-Object -Skip 20 -First 1
        $packet.Frame | Should -BeOfType [byte] # elements
        , $packet.Frame | Should -BeOfType ([byte[]])
        $packet.Frame.Length | Should -Be $packet.CapturedLength
        , $packet.Payload | Should -BeOfType ([System.ArraySegment[byte]])
        $packet.Payload.Count | Should -Be $packet.PayloadLength
        [object]::ReferenceEquals($packet.Payload.Array, $packet.Frame) | Should -BeTrue
        $packet.VniChain | Should -Be @(5569041)
        $packet.Packet.GetType().FullName | Should -Be 'PacketDotNet.EthernetPacket'
    }
}
