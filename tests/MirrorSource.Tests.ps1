#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2.0' }
# -MirrorSource $session on Get-InnerPacket and Test-MirrorPrerequisite -Local -Listen: the session's
# source ENI looked up on the fake EC2 endpoint of the xunit project (HTTP on 127.0.0.1, SigV4-checked),
# and the real AWS capture (mirrored instance 172.31.0.238) classified by the addresses found.
# Build first: dotnet build tests/MirrorTools.Core.Tests; dotnet publish src/MirrorTools -c Release.

BeforeAll {
    . (Join-Path $PSScriptRoot 'MirrorTools.TestSupport.ps1')
    Import-Module $ModulePath -Force -ErrorAction Stop
    Add-Type -Path (Get-FakeCloudAssembly)
    $script:Fake = 'MirrorTools.Tests.Cloud.FakeAws'
    $script:Capture = Get-PublicCapture 'aws-traffic-mirror-ssh-dns.pcap'


    function Get-DirectionCount($Packets) {
        $counts = @{ Ingress = 0; Egress = 0; Unknown = 0 }
        foreach ($packet in $Packets) { $counts["$($packet.Direction)"]++ }
        $counts
    }
}

Describe '-MirrorSource with a MirrorSession' {
    BeforeEach {
        $endpoint = ("$Fake.FakeAwsEndpoint" -as [type])::new('eu-west-1')
        $script:Lab = [pscustomobject]@{ Endpoint = $endpoint }
        $state = $endpoint.State
        $vpc = $state.AddVpc('172.31.0.0/16')
        # Not 172.31.0.0/20: the source's primary address must be none of the capture's.
        $subnet = $state.AddSubnet($vpc, '172.31.16.0/20', $null)
        $noGroups = [System.Array]::CreateInstance(("$Fake.FakeSecurityGroup" -as [type]), 0)
        $source = $state.AddInstance($subnet, 'm5.large', $noGroups)
        $captureHost = $state.AddInstance($subnet, 'c5n.large', $noGroups)
        $script:SourceEni = $state.PrimaryInterface($source)
        $script:Aws = @{ EndpointUrl = $endpoint.Url.ToString() }
        $script:SavedKeys = $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY
        $env:AWS_ACCESS_KEY_ID = ("$Fake.FakeAwsEndpoint" -as [type])::AccessKey
        $env:AWS_SECRET_ACCESS_KEY = ("$Fake.FakeAwsEndpoint" -as [type])::SecretKey
        $script:Session = New-MirrorSession -SourceInstanceId $source.Id -TargetNetworkInterfaceId $state.PrimaryInterface($captureHost).Id `
            -Region eu-west-1 @Aws -SkipPrerequisiteCheck -ErrorAction Stop
    }
    AfterEach {
        $env:AWS_ACCESS_KEY_ID, $env:AWS_SECRET_ACCESS_KEY = $SavedKeys
        $Lab.Endpoint.DisposeAsync().AsTask().Wait()
    }

    It 'classifies by the source ENI''s addresses, its secondary address included' {
        $SourceEni.SecondaryPrivateIpAddresses.Add('172.31.0.238')
        $packets = Get-InnerPacket -Path $Capture -MirrorSource $Session @Aws -WarningVariable warnings -ErrorAction Stop

        $packets.Count | Should -Be 100
        $counts = Get-DirectionCount $packets
        $counts.Ingress | Should -Be 53
        $counts.Egress | Should -Be 47
        $warnings | Should -BeNullOrEmpty
        $Lab.Endpoint.Calls.Action | Should -Contain 'DescribeNetworkInterfaces'
    }

    It 'finds nothing of the source''s in the capture when its ENI has only its primary address: all Unknown' {
        $packets = Get-InnerPacket -Path $Capture -MirrorSource $Session @Aws -ErrorAction Stop
        (Get-DirectionCount $packets).Unknown | Should -Be 100
    }

    It 'gives Test-MirrorPrerequisite -Listen both directions from the looked-up ENI where the tunnel cannot tell' {
        $SourceEni.SecondaryPrivateIpAddresses.Add('172.31.0.238')
        $port = Get-Random -Minimum 20000 -Maximum 60000
        $mirror = Start-Mirror $port @(Read-VxlanPayloads $Capture)
        try {
            # Sent from loopback, the outer source is 127.0.0.1: only the session's looked-up addresses give Direction.
            $both = Test-MirrorPrerequisite -Local -Listen 00:00:03 -Listener Socket -Port $port -Vni 5569041 -Direction Both `
                -MirrorSource $Session @Aws -ErrorAction Stop -WarningVariable warnings | Where-Object CheckId -eq 'Capture.BothDirections'
        }
        finally {
            $mirror | Stop-Job -PassThru | Remove-Job
        }
        $both.Status | Should -Be 'Passed'
        $warnings | Should -BeNullOrEmpty
        $Lab.Endpoint.Calls.Action | Should -Contain 'DescribeNetworkInterfaces'
    }

    It 'reports a denied lookup naming the session and the grant, then reads every packet by the tunnel rule' {
        $Lab.Endpoint.DeniedActions.Add('DescribeNetworkInterfaces') | Out-Null
        $packets = Get-InnerPacket -Path $Capture -MirrorSource $Session @Aws -ErrorVariable lookupErrors -ErrorAction SilentlyContinue `
            -WarningVariable warnings -WarningAction SilentlyContinue

        $lookupErrors.Count | Should -Be 1
        $lookupErrors[0].FullyQualifiedErrorId | Should -Be 'MirrorSourceLookupFailed,MirrorTools.Commands.GetInnerPacketCommand'
        $lookupErrors[0].Exception.Message | Should -BeLike "*$($Session.Id)*ec2:DescribeNetworkInterfaces*"
        "$warnings" | Should -BeLike "*tunnel's outer source*"
        $counts = Get-DirectionCount $packets
        $counts.Ingress | Should -Be 53
        $counts.Egress | Should -Be 47
    }
}
