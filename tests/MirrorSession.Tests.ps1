#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2.0' }
# New-, Get- and Remove-MirrorSession as a user runs them, against the fake EC2/ELBv2 endpoint of the
# xunit project (HTTP on 127.0.0.1, SigV4-checked) reached through -EndpointUrl. Build first:
#   ./build.ps1 -Task Build, Test      (or: dotnet build tests/MirrorTools.Core.Tests; ./build.ps1 -Task Build)
# The fake is in a net10.0 assembly, so these tests need PowerShell 7.6 or later (.NET 10); they
# fail, saying so, on older PowerShell and when the xunit project is not built.

BeforeAll {
    . (Join-Path $PSScriptRoot 'MirrorTools.TestSupport.ps1')
    Import-Module $ModulePath -Force -ErrorAction Stop

    $script:Fake = 'MirrorTools.Tests.Cloud.FakeAws'

    # A VPC with two running instances and a capture instance whose security group admits VXLAN.
    function New-FakeAws {
        # ::new with the region only: PowerShell would pass a $null string argument as ''.
        $aws = ("$Fake.FakeAwsEndpoint" -as [type])::new('eu-west-1')
        $state = $aws.State
        $vpc = $state.AddVpc('10.0.0.0/16')
        $subnet = $state.AddSubnet($vpc, '10.0.1.0/24', $null)
        $group = $state.AddSecurityGroup($vpc, 'capture')
        $group.Ingress.Add((New-Object "$Fake.FakeSecurityGroupRule" -ArgumentList 'udp', 4789, 4789, ([string[]] '10.0.0.0/16'), $null, $null))
        $noGroups = [System.Array]::CreateInstance(("$Fake.FakeSecurityGroup" -as [type]), 0)
        $captureGroups = [System.Array]::CreateInstance(("$Fake.FakeSecurityGroup" -as [type]), 1)
        $captureGroups[0] = $group
        [pscustomobject]@{
            Endpoint = $aws
            Source   = $state.AddInstance($subnet, 'm5.large', $noGroups)
            Other    = $state.AddInstance($subnet, 'm5.large', $noGroups)
            Capture  = $state.AddInstance($subnet, 'c5n.large', $captureGroups)
            Subnet   = $subnet
        }
    }

    function Get-AwsParameters($Lab) {
        @{
            Region      = 'eu-west-1'
            AccessKey   = ("$Fake.FakeAwsEndpoint" -as [type])::AccessKey
            SecretKey   = ("$Fake.FakeAwsEndpoint" -as [type])::SecretKey
            EndpointUrl = $Lab.Endpoint.Url.ToString()
        }
    }

    function Get-PrimaryEni($Lab, $Instance) { $Lab.Endpoint.State.PrimaryInterface($Instance).Id }
}

Describe 'New-MirrorSession, Get-MirrorSession, Remove-MirrorSession' {
    BeforeAll {
        Add-Type -Path (Get-FakeCloudAssembly)
    }

    BeforeEach {
        $script:Lab = New-FakeAws
        $script:Aws = Get-AwsParameters $Lab
        $script:CaptureEni = Get-PrimaryEni $Lab $Lab.Capture
    }
    AfterEach { $Lab.Endpoint.DisposeAsync().AsTask().Wait() }

    It 'lists what a removal stopped halfway left with -Orphaned, and Remove-MirrorSession takes it from the pipeline' {
        $session = New-MirrorSession -SourceInstanceId $Lab.Source.Id -TargetNetworkInterfaceId $CaptureEni -Vni 4242 @Aws -SkipPrerequisiteCheck -Confirm:$false
        Get-MirrorSession -Orphaned @Aws | Should -BeNullOrEmpty
        $Lab.Endpoint.FailNth('DeleteTrafficMirrorFilter', 1, 'DependencyViolation', 'The traffic mirror filter is in use.')
        $session | Remove-MirrorSession @Aws -Confirm:$false -ErrorAction SilentlyContinue
        { Remove-MirrorSession -SessionId $session.Id @Aws -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'MirrorSessionNotFound,MirrorTools.Commands.RemoveMirrorSessionCommand' -ExpectedMessage '*Get-MirrorSession -Orphaned*'

        $orphans = @(Get-MirrorSession -Orphaned @Aws)
        $orphans.PSObject.TypeNames | Out-Null
        $orphans[0].PSObject.TypeNames[0] | Should -Be 'MirrorTools.MirrorOrphan'
        ($orphans | Where-Object Kind -eq 'Filter').Id | Should -Be $session.FilterId
        ($orphans | Out-String -Width 80) | Should -Match '(?m)^Kind\s+Id\s+Provider\s+Region'

        $before = $Lab.Endpoint.MutatingCalls.Count
        $orphans | Remove-MirrorSession @Aws -WhatIf
        $Lab.Endpoint.MutatingCalls.Count | Should -Be $before
        $orphans | Remove-MirrorSession @Aws -Confirm:$false
        Get-MirrorSession -Orphaned @Aws | Should -BeNullOrEmpty
        $Lab.Endpoint.State.MirrorResourceCount | Should -Be 0
    }

    It 'creates a session on the instance''s primary interface and gets it back, then removes everything' {
        $session = New-MirrorSession -SourceInstanceId $Lab.Source.Id -TargetNetworkInterfaceId $CaptureEni -Vni 4242 @Aws -SkipPrerequisiteCheck
        # By name: the type lives in the module's AssemblyLoadContext, so a type literal does not resolve.
        $session.PSObject.TypeNames[0] | Should -Be 'MirrorTools.MirrorSession'
        $session.NetworkInterfaceId | Should -Be (Get-PrimaryEni $Lab $Lab.Source)
        $session.Vni | Should -Be 4242
        $session.SessionNumber | Should -Be 1
        $session.Tags['ManagedBy'] | Should -Be 'MirrorTools'

        $found = Get-MirrorSession -SourceInstanceId $Lab.Source.Id @Aws
        $found.Id | Should -Be $session.Id
        $found.SourceInstanceId | Should -Be $Lab.Source.Id
        $found.Target.NetworkInterfaceId | Should -Be $CaptureEni
        ($found.Filter.IngressRules.Count + $found.Filter.EgressRules.Count) | Should -Be 4

        $session | Remove-MirrorSession -Confirm:$false @Aws
        Get-MirrorSession @Aws | Should -BeNullOrEmpty
        $Lab.Endpoint.State.MirrorResourceCount | Should -Be 0
    }

    It 'shows the session whole in an 80-column table' {
        $session = New-MirrorSession -SourceInstanceId $Lab.Source.Id -TargetNetworkInterfaceId $CaptureEni -Vni 4242 @Aws -SkipPrerequisiteCheck
        $lines = ($session | Out-String -Width 80) -split "`n" | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^Id\s+Vni\s+Source\s+Target\s+State'
        $lines[2] | Should -Match ('^{0}\s+4242 {1} {2}\s*$' -f $session.Id, $session.NetworkInterfaceId, $session.TargetId)
    }

    It 'makes no mutating call with -WhatIf' {
        New-MirrorSession -SourceInstanceId $Lab.Source.Id -TargetNetworkInterfaceId $CaptureEni @Aws -SkipPrerequisiteCheck -WhatIf |
            Should -BeNullOrEmpty
        $Lab.Endpoint.MutatingCalls.Count | Should -Be 0
    }

    It 'Set-MirrorSession -FilterId removes the replaced filter MirrorTools made, and -WhatIf lists that removal' {
        $session = New-MirrorSession -SourceInstanceId $Lab.Source.Id -TargetNetworkInterfaceId $CaptureEni @Aws -SkipPrerequisiteCheck
        $console = New-Object "$Fake.FakeMirrorFilter" -ArgumentList 'tmf-0c0ffee0c0ffee001'
        $Lab.Endpoint.State.MirrorFilters.Add($console)
        $transcript = Join-Path $TestDrive 'set-whatif.txt'
        Start-Transcript -Path $transcript | Out-Null
        try { $session | Set-MirrorSession -FilterId $console.Id @Aws -WhatIf } finally { Stop-Transcript | Out-Null }
        $whatIf = Get-Content -Raw $transcript
        $whatIf | Should -BeLike "*Modify traffic mirror session: filter $($session.FilterId) -> $($console.Id)*"
        $whatIf | Should -BeLike "*Remove traffic mirror filter (created by MirrorTools, now unused)*$($session.FilterId)*"
        $Lab.Endpoint.State.MirrorFilters.Count | Should -Be 2

        ($session | Set-MirrorSession -FilterId $console.Id @Aws -Confirm:$false).FilterId | Should -Be $console.Id
        @($Lab.Endpoint.State.MirrorFilters).Id | Should -Be @($console.Id)
    }

    It '-WhatIf lists the plan and warns when DescribeTrafficMirrorSessions answers HTTP 500; the real run refuses naming the IAM action' {
        $Lab.Endpoint.UnimplementedActions.Add('DescribeTrafficMirrorSessions') | Out-Null
        $warnings = $null
        New-MirrorSession -SourceInstanceId $Lab.Source.Id -TargetNetworkInterfaceId $CaptureEni @Aws -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue |
            Should -BeNullOrEmpty
        ($warnings -join "`n") | Should -BeLike '*ec2:DescribeTrafficMirrorSessions failed (HTTP 500)*second run may create another*'

        $err = $null
        New-MirrorSession -SourceInstanceId $Lab.Source.Id -TargetNetworkInterfaceId $CaptureEni @Aws -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'MirrorPlanIncomplete,MirrorTools.Commands.NewMirrorSessionCommand'
        $err[0].Exception.Message | Should -BeLike '*Grant ec2:DescribeTrafficMirrorSessions*'
        $Lab.Endpoint.MutatingCalls.Count | Should -Be 0
    }

    It 'reuses the target and filter when run again, and returns the same session' {
        $first = New-MirrorSession -SourceInstanceId $Lab.Source.Id -TargetNetworkInterfaceId $CaptureEni @Aws -SkipPrerequisiteCheck
        $second = New-MirrorSession -SourceInstanceId $Lab.Source.Id -TargetNetworkInterfaceId $CaptureEni @Aws -SkipPrerequisiteCheck
        $second.Id | Should -Be $first.Id
        $Lab.Endpoint.State.MirrorTargets.Count | Should -Be 1
        $Lab.Endpoint.State.MirrorFilters.Count | Should -Be 1
    }

    It 'takes instances from the pipeline by their InstanceId property, one session each' {
        $instances = @([pscustomobject]@{ InstanceId = $Lab.Source.Id }, [pscustomobject]@{ InstanceId = $Lab.Other.Id })
        $sessions = $instances | New-MirrorSession -TargetNetworkInterfaceId $CaptureEni @Aws -SkipPrerequisiteCheck
        $sessions.Count | Should -Be 2
        ($sessions.TargetId | Select-Object -Unique).Count | Should -Be 1
    }

    It 'rolls back the target and filter when the session cannot be created' {
        $Lab.Source.State = 'stopped'
        { New-MirrorSession -SourceInstanceId $Lab.Source.Id -TargetNetworkInterfaceId $CaptureEni @Aws -SkipPrerequisiteCheck -ErrorAction Stop } |
            Should -Throw -ErrorId 'AwsIncorrectInstanceState,MirrorTools.Commands.NewMirrorSessionCommand'
        $Lab.Endpoint.State.MirrorResourceCount | Should -Be 0
    }

    It 'stops on a failed prerequisite check before creating anything' {
        $Lab.Source.State = 'stopped'
        { New-MirrorSession -SourceInstanceId $Lab.Source.Id -TargetNetworkInterfaceId $CaptureEni @Aws -ErrorAction Stop } |
            Should -Throw -ErrorId 'MirrorPrerequisiteFailed,MirrorTools.Commands.NewMirrorSessionCommand'
        $Lab.Endpoint.MutatingCalls.Count | Should -Be 0
    }

    It 'goes on when a check''s Describe call answers HTTP 500 (that check is skipped), and -WhatIf still lists every resource' {
        $Lab.Endpoint.UnimplementedActions.Add('DescribeNetworkAcls') | Out-Null
        # "What if:" lines go to the host, which only a transcript records.
        $transcript = Join-Path $TestDrive 'whatif.txt'
        Start-Transcript -Path $transcript | Out-Null
        try { New-MirrorSession -SourceInstanceId $Lab.Source.Id -TargetNetworkInterfaceId $CaptureEni @Aws -WhatIf } finally { Stop-Transcript | Out-Null }
        $whatIf = Get-Content -Raw $transcript
        $whatIf | Should -BeLike '*Create traffic mirror target*'
        $whatIf | Should -BeLike '*Create traffic mirror filter*'
        $whatIf | Should -BeLike '*Create traffic mirror session*'
        $Lab.Endpoint.MutatingCalls.Count | Should -Be 0

        $session = New-MirrorSession -SourceInstanceId $Lab.Source.Id -TargetNetworkInterfaceId $CaptureEni @Aws
        $session.NetworkInterfaceId | Should -Be (Get-PrimaryEni $Lab $Lab.Source)
    }

    It 'stops on a check failed by a denied Describe call, naming the IAM action to grant' {
        $Lab.Endpoint.DeniedActions.Add('DescribeSecurityGroups') | Out-Null
        $err = $null
        New-MirrorSession -SourceInstanceId $Lab.Source.Id -TargetNetworkInterfaceId $CaptureEni @Aws -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'MirrorPrerequisiteFailed,MirrorTools.Commands.NewMirrorSessionCommand'
        $err[0].Exception.Message | Should -BeLike '*ec2:DescribeSecurityGroups*'
        $Lab.Endpoint.MutatingCalls.Count | Should -Be 0
    }

    It 'Test-MirrorPrerequisite against an emulator without DescribeTrafficMirrorSessions still returns every result' {
        $Lab.Endpoint.UnimplementedActions.Add('DescribeTrafficMirrorSessions') | Out-Null
        $results = @(Test-MirrorPrerequisite -SourceInstanceId $Lab.Source.Id -TargetNetworkInterfaceId $CaptureEni @Aws)
        $results.Count | Should -BeGreaterThan 10
        $limit = $results | Where-Object CheckId -EQ 'Aws.SourceSessionLimit'
        $limit.Status | Should -Be 'Skipped'
        $limit.Message | Should -BeLike '*ec2:DescribeTrafficMirrorSessions failed with HTTP 500*'
        @($results | Where-Object Status -EQ 'Failed') | Should -BeNullOrEmpty
    }

    It 'rejects a wrong secret key with a signature error that does not show the key' {
        $bad = $Aws.Clone(); $bad.SecretKey = 'wrong-secret-value'
        $err = $null
        Get-MirrorSession @bad -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'AwsSignatureDoesNotMatch,*'
        $err[0].Exception.Message | Should -Not -BeLike '*wrong-secret-value*'
    }

    It 'removes sessions piped from AWS.Tools-shaped objects by TrafficMirrorSessionId and keeps a shared target' {
        $one = New-MirrorSession -SourceInstanceId $Lab.Source.Id -TargetNetworkInterfaceId $CaptureEni @Aws -SkipPrerequisiteCheck
        $null = New-MirrorSession -SourceInstanceId $Lab.Other.Id -TargetNetworkInterfaceId $CaptureEni @Aws -SkipPrerequisiteCheck
        [pscustomobject]@{ TrafficMirrorSessionId = $one.Id } | Remove-MirrorSession -Confirm:$false @Aws
        $Lab.Endpoint.State.MirrorSessions.Count | Should -Be 1
        $Lab.Endpoint.State.MirrorTargets.Count | Should -Be 1
    }

    It 'keeps the target with -KeepTarget' {
        $session = New-MirrorSession -SourceInstanceId $Lab.Source.Id -TargetNetworkInterfaceId $CaptureEni @Aws -SkipPrerequisiteCheck
        Remove-MirrorSession -SessionId $session.Id -KeepTarget -Confirm:$false @Aws
        $Lab.Endpoint.State.MirrorTargets.Count | Should -Be 1
        $Lab.Endpoint.State.MirrorFilters.Count | Should -Be 0
    }

    It 'writes where the region and credentials came from to the debug stream, without secrets' {
        $debug = Get-MirrorSession @Aws -Debug 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }
        ($debug.Message -join "`n") | Should -BeLike '*region eu-west-1, from the -Region parameter*'
        ($debug.Message -join "`n") | Should -Not -BeLike "*$($Aws.SecretKey)*"
    }
}
