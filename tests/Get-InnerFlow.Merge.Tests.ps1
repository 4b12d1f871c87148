#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2.0' }
# Get-InnerFlow merging InnerFlow objects however they travelled: the AWS capture's packets split
# by -Direction into two flow sets (as if two capture hosts each saw one direction), merged back,
# must give the flows of the whole file.

BeforeAll {
    . (Join-Path $PSScriptRoot 'MirrorTools.TestSupport.ps1')
    Import-Module $ModulePath -Force -ErrorAction Stop
    $aws = Get-PublicCapture 'aws-traffic-mirror-ssh-dns.pcap'
    # Counts each way, and the TCP handshake: with the directions split its SYN/ACK is on the other half.
    filter ConvertTo-FlowLine {
        "$_ handshake $($_.HandshakeSeen) $($_.HandshakeRoundTripTime) at $($_.SynSeenNanoseconds)/$($_.SynAckSeenNanoseconds)/$($_.HandshakeAckSeenNanoseconds)"
    }
    $whole = Get-InnerFlow -Path $aws | Sort-Object FirstSeenNanoseconds | ConvertTo-FlowLine
    $egress = Get-InnerFlow -Path $aws -Direction Egress
    $ingress = Get-InnerFlow -Path $aws -Direction Ingress
}

Describe 'Get-InnerFlow merging flows' {
    It 'merges live flows of one direction each into the whole file''s flows' {
        # Each half saw one direction only (a SYN/ACK's receiver is still the source, so either count may be the empty one).
        $egress + $ingress | Where-Object { $_.ForwardPackets -gt 0 -and $_.ReversePackets -gt 0 } | Should -BeNullOrEmpty
        $egress + $ingress | Where-Object HandshakeSeen | Should -BeNullOrEmpty
        @($whole) -match 'handshake True 00:' | Should -HaveCount 4
        @($egress) + @($ingress) | Get-InnerFlow | ConvertTo-FlowLine | Should -Be $whole
    }

    It 'merges flows read back from <Name>' -ForEach @(
        @{ Name = 'Export-Clixml'; Save = { param($f, $p) $f | Export-Clixml $p }; Load = { param($p) Import-Clixml $p } }
        @{ Name = 'ConvertTo-Json'; Save = { param($f, $p) $f | ConvertTo-Json | Set-Content $p }; Load = { param($p) Get-Content -Raw $p | ConvertFrom-Json } }
        @{ Name = 'flat JSON'; Save = { param($f, $p) $f | ConvertTo-Json -AsArray -Depth 1 -EnumsAsStrings -WarningAction Ignore | Set-Content $p }; Load = { param($p) Get-Content -Raw $p | ConvertFrom-Json } }
        @{ Name = 'Export-Csv'; Save = { param($f, $p) $f | Export-Csv $p }; Load = { param($p) Import-Csv $p } }
    ) {
        & $Save $egress "TestDrive:/egress"
        & $Save $ingress "TestDrive:/ingress"
        $loaded = @(& $Load "TestDrive:/egress") + @(& $Load "TestDrive:/ingress")
        $loaded[0] | Should -Not -BeOfType ([MirrorTools.InnerFlow])
        $loaded | Get-InnerFlow -ErrorAction Stop | ConvertTo-FlowLine | Should -Be $whole
    }

    It 'reports an object that is not a flow by id, and merges the rest' {
        $flows = @([pscustomobject]@{ Vni = 1; Protocol = 'Udp' }) + @($egress) + @($ingress) |
            Get-InnerFlow -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.FullyQualifiedErrorId | Should -Be 'InvalidFlowObject,MirrorTools.Commands.GetInnerFlowCommand'
        "$($problems[0])" | Should -Match 'has no SourceAddress'
        $flows | ConvertTo-FlowLine | Should -Be $whole
    }

    It 'tells to run Get-InnerFlow remotely when given deserialized packets' {
        $packet = Get-InnerPacket -Path $aws | Select-Object -First 1
        $deserialized = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($packet))
        { $deserialized | Get-InnerFlow -ErrorAction Stop } | Should -Throw -ErrorId 'InputNotAFlow,MirrorTools.Commands.GetInnerFlowCommand'
    }

    It 'shows deserialized packets in the InnerPacket table, with direction and protocol names' {
        $packets = Get-InnerPacket -Path $aws | Select-Object -First 3
        $deserialized = $packets | ForEach-Object { [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($_)) }
        $deserialized[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.MirrorTools.InnerPacket'
        ($deserialized | Format-Table | Out-String -Width 120) | Should -Be ($packets | Format-Table | Out-String -Width 120)
    }
}
