#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2.0' }
# Get-InnerFlow as a user calls it, on the shared AWS capture; the expected conversations are
# tshark's (tshark -q -z conv,tcp -z conv,udp on the same file), never this module's own output.

BeforeAll {
    . (Join-Path $PSScriptRoot 'MirrorTools.TestSupport.ps1')
    Import-Module $ModulePath -Force -ErrorAction Stop
    $aws = Get-PublicCapture 'aws-traffic-mirror-ssh-dns.pcap'
    $twoVnis = Get-PublicCapture 'zeek-vxlan-two-vnis-same-inner-flow.pcap'
}

Describe 'Get-InnerFlow' {
    It 'finds the SSH conversations tshark finds, with the packets each way' {
        # tshark -z conv,tcp: 18.196.145.224:37180..37186 <-> 172.31.0.238:22, -> / <- frames.
        $flows = Get-InnerFlow -Path $aws -Protocol Tcp | Sort-Object SourcePort
        $flows.SourcePort | Should -Be 37180, 37182, 37184, 37186
        $flows.ForwardPackets | Should -Be 13, 11, 11, 9
        $flows.ReversePackets | Should -Be 10, 10, 10, 8
        $flows | ForEach-Object { "$($_.DestinationAddress):$($_.DestinationPort)" } | Should -Be (@('172.31.0.238:22') * 4)
        $flows.HandshakeSeen | Should -Be $true, $true, $true, $true
    }

    It 'makes the same flows from InnerPacket objects as from the file' {
        $fromFile = Get-InnerFlow -Path $aws | ForEach-Object ToString
        $fromPackets = Get-InnerPacket -Path $aws | Get-InnerFlow | ForEach-Object ToString
        $fromPackets | Should -Be $fromFile
        $fromFile.Count | Should -Be 13
    }

    It 'keeps the same 5-tuple under two VNIs apart' {
        (Get-InnerFlow -Path $twoVnis).Vni | Sort-Object | Should -Be 4242, 4711
    }

    It 'counts only the packets that pass -Direction' {
        $egress = Get-InnerFlow -Path $aws -Protocol Tcp -Direction Egress
        $egress.ForwardPackets | Measure-Object -Sum | Select-Object -ExpandProperty Sum | Should -Be 0
        $egress.ReversePackets | Measure-Object -Sum | Select-Object -ExpandProperty Sum | Should -Be 38
    }

    It 'warns when flows are written out early' {
        $flows = Get-InnerFlow -Path $aws -MaxFlows 2 -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -Not -BeNullOrEmpty
        $flows.EndReason | Should -Contain 'Evicted'
    }

    It 'rejects a -MaxFlows below 1 and a non-positive -IdleTimeout' {
        { Get-InnerFlow -Path $aws -MaxFlows 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,MirrorTools.Commands.GetInnerFlowCommand'
        { Get-InnerFlow -Path $aws -IdleTimeout 0 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidFlowLimit,MirrorTools.Commands.GetInnerFlowCommand'
    }
}

Describe 'Get-InnerPacket -Direction' {
    It 'shows In and Out from the tunnel, and filters by them' {
        $in = @(Get-InnerPacket -Path $aws -Direction Ingress)
        $out = @(Get-InnerPacket -Path $aws -Direction Egress)
        ($in.Count + $out.Count) | Should -Be (Get-InnerPacket -Path $aws | Measure-Object).Count
        $out.SourceAddress.IPAddressToString | Sort-Object -Unique | Should -Be '172.31.0.238'
        ($in[0] | Format-Table | Out-String) | Should -Match '\bIn\b'
    }

    It 'says Unknown for an address that is not the source, and rejects what is no address' {
        Get-InnerPacket -Path $aws -MirrorSource 10.9.9.9 | ForEach-Object Direction | Sort-Object -Unique | Should -Be 'Unknown'
        { Get-InnerPacket -Path $aws -MirrorSource 'eni-0abc' } | Should -Throw -ErrorId 'InvalidMirrorSource,MirrorTools.Commands.GetInnerPacketCommand'
    }
}
