#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2.0' }
# Sync-MirrorSession as a runbook runs it, against the fake EC2 endpoint and the fake OCI endpoint of
# the xunit project (HTTP on 127.0.0.1, every request's signature verified), reached through -EndpointUrl.
# Build first: ./build.ps1 -Task Build, Test   (or: dotnet build tests/MirrorTools.Core.Tests; ./build.ps1 -Task Build)
# Needs PowerShell 7.6 or later (.NET 10), like the other fake-cloud tests.

BeforeAll {
    . (Join-Path $PSScriptRoot 'MirrorTools.TestSupport.ps1')
    Import-Module $ModulePath -Force -ErrorAction Stop
    Add-Type -Path (Get-FakeCloudAssembly)
    $script:Fake = 'MirrorTools.Tests.Cloud.FakeAws'

    # A VPC with a capture instance and $Count instances; every fourth one is tagged mirror=no.
    function New-FakeAwsFleet([int] $Count) {
        $aws = ("$Fake.FakeAwsEndpoint" -as [type])::new('eu-west-1')
        $state = $aws.State
        $vpc = $state.AddVpc('10.0.0.0/16')
        $subnet = $state.AddSubnet($vpc, '10.0.0.0/20', $null)
        $noGroups = [System.Array]::CreateInstance(("$Fake.FakeSecurityGroup" -as [type]), 0)
        $capture = $state.AddInstance($subnet, 'c5n.large', $noGroups)
        $fleet = foreach ($n in 0..($Count - 1)) {
            $instance = $state.AddInstance($subnet, 'm5.large', $noGroups)
            $instance.Tags['mirror'] = $(if ($n % 4 -eq 3) { 'no' } else { 'yes' })
            $instance
        }
        [pscustomobject]@{ Endpoint = $aws; Vpc = $vpc; Fleet = $fleet; Capture = $capture.Id; CaptureEni = $state.PrimaryInterface($capture).Id }
    }

    function Get-AwsParameters($Lab) {
        @{
            Region      = 'eu-west-1'
            AccessKey   = ("$Fake.FakeAwsEndpoint" -as [type])::AccessKey
            SecretKey   = ("$Fake.FakeAwsEndpoint" -as [type])::SecretKey
            EndpointUrl = $Lab.Endpoint.Url.ToString()
        }
    }
}

Describe 'Sync-MirrorSession on AWS' {
    BeforeEach {
        $script:Lab = New-FakeAwsFleet 8
        $script:Aws = Get-AwsParameters $Lab
        $script:Set = @{ Name = 'web'; SourceTag = @{ mirror = 'yes' }; VpcId = $Lab.Vpc.Id; TargetNetworkInterfaceId = $Lab.CaptureEni; Vni = 77 }
    }
    AfterEach { $Lab.Endpoint.DisposeAsync().AsTask().Wait() }

    It '-WhatIf lists one Create per selected instance and makes no mutating call' {
        $results = Sync-MirrorSession @Set @Aws -WhatIf
        $results.Count | Should -Be 6
        $results[0].PSObject.TypeNames[0] | Should -Be 'MirrorTools.MirrorSyncResult'
        $results | ForEach-Object { $_.Action.ToString() } | Sort-Object -Unique | Should -Be 'Create'
        $Lab.Endpoint.MutatingCalls.Count | Should -Be 0
    }

    It 'makes the cloud match, and a second run is all Keep with no mutating call' {
        $first = Sync-MirrorSession @Set @Aws -Confirm:$false
        ($first | Group-Object Action | ForEach-Object { "$($_.Name)=$($_.Count)" }) | Should -Be 'Create=6'
        $Lab.Endpoint.State.MirrorSessions.Count | Should -Be 6
        $first | ForEach-Object { $_.SessionId } | Should -Match '^tms-'

        $before = $Lab.Endpoint.MutatingCalls.Count
        $second = Sync-MirrorSession @Set @Aws -Confirm:$false
        ($second | Group-Object Action | ForEach-Object { "$($_.Name)=$($_.Count)" }) | Should -Be 'Keep=6'
        $Lab.Endpoint.MutatingCalls.Count | Should -Be $before
    }

    It 'removes the set''s session of an instance whose tag changed, and only that one' {
        Sync-MirrorSession @Set @Aws -Confirm:$false | Out-Null
        $Lab.Fleet[0].Tags['mirror'] = 'no'
        $results = Sync-MirrorSession @Set @Aws -Confirm:$false
        $removed = @($results | Where-Object { $_.Action.ToString() -eq 'Remove' })
        $removed.Count | Should -Be 1
        $removed[0].InstanceId | Should -Be $Lab.Fleet[0].Id
        $removed[0].Reason | Should -Match 'no longer matches'
        $Lab.Endpoint.State.MirrorSessions.Count | Should -Be 5
    }

    It 'reports a source that fails as Failed and goes on with the others; a rerun completes it' {
        $Lab.Endpoint.FailNth('CreateTrafficMirrorSession', 3, 'UnauthorizedOperation', 'You are not authorized to perform this operation.')
        $results = Sync-MirrorSession @Set @Aws -Confirm:$false -ThrottleLimit 1
        $failed = @($results | Where-Object { $_.Action.ToString() -eq 'Failed' })
        $failed.Count | Should -Be 1
        $failed[0].ErrorId | Should -Be 'AwsUnauthorizedOperation'
        @($results | Where-Object { $_.Action.ToString() -eq 'Create' }).Count | Should -Be 5

        $rerun = Sync-MirrorSession @Set @Aws -Confirm:$false
        @($rerun | Where-Object { $_.Action.ToString() -eq 'Create' }).Source | Should -Be $failed[0].Source
        $Lab.Endpoint.State.MirrorSessions.Count | Should -Be 6
    }

    It 'a runbook exits non-zero when any result Failed' {
        $Lab.Endpoint.DeniedActions.Add('CreateTrafficMirrorSession') | Out-Null
        $results = Sync-MirrorSession @Set @Aws -Confirm:$false
        $exitCode = if ($results | Where-Object { $_.Action.ToString() -eq 'Failed' }) { 1 } else { 0 }
        $exitCode | Should -Be 1
        # Nothing half-made: the target and filter made for the failed sessions are deleted again.
        $Lab.Endpoint.State.MirrorResourceCount | Should -Be 0
    }

    It 'refuses a filter id together with filter parameters, naming both' {
        { Sync-MirrorSession @Set @Aws -FilterId tmf-0123456789abcdef0 -Protocol Tcp -WhatIf -ErrorAction Stop } |
            Should -Throw -ErrorId 'MirrorSyncFilterAmbiguous,MirrorTools.Commands.SyncMirrorSessionCommand'
    }

    It 'Test-MirrorPrerequisite -SyncName checks every session of the set, reading the shared target once' {
        $results = Sync-MirrorSession @Set @Aws -Confirm:$false
        $before = $Lab.Endpoint.Calls.Count
        $checks = Test-MirrorPrerequisite -SyncName web @Aws
        ($checks | ForEach-Object SessionId | Sort-Object -Unique) | Should -Be ($results.SessionId | Sort-Object)
        $checks[0].PSObject.TypeNames[0] | Should -Be 'MirrorTools.PrerequisiteResult'
        @($Lab.Endpoint.Calls | Select-Object -Skip $before | Where-Object Action -eq 'DescribeSecurityGroups').Count | Should -Be 1
    }

    It 'Sync-MirrorSession | Test-MirrorPrerequisite checks the piped sessions as a set; Skip and Remove results are not checked' {
        Sync-MirrorSession @Set @Aws -Confirm:$false | Out-Null
        $Lab.Fleet[0].Tags['mirror'] = 'no'
        $results = Sync-MirrorSession @Set @Aws -Confirm:$false
        ($results | Group-Object Action | ForEach-Object { "$($_.Name)=$($_.Count)" } | Sort-Object) -join ' ' | Should -Be 'Keep=5 Remove=1'
        # The capture instance as a source: its interface is the target's own, so it is skipped.
        $skip = Sync-MirrorSession -Name web -SourceInstanceId $Lab.Capture -TargetNetworkInterfaceId $Lab.CaptureEni @Aws -WhatIf |
            Where-Object { $_.Action.ToString() -eq 'Skip' }
        @($skip).Count | Should -Be 1
        $before = $Lab.Endpoint.Calls.Count

        $checks = @($results) + @($skip) | Test-MirrorPrerequisite @Aws -ErrorAction Stop

        $kept = @($results | Where-Object { $_.Action.ToString() -eq 'Keep' }).SessionId | Sort-Object
        ($checks | ForEach-Object SessionId | Sort-Object -Unique) | Should -Be $kept
        @($checks | Where-Object CheckId -eq 'Aws.SourceSessionLimit').Count | Should -Be 5
        $calls = @($Lab.Endpoint.Calls | Select-Object -Skip $before)
        @($calls | Where-Object Action -eq 'DescribeSecurityGroups').Count | Should -Be 1
        # The same reads as -SyncName for the same sessions (checked one by one, each would read its own target).
        $before = $Lab.Endpoint.Calls.Count
        Test-MirrorPrerequisite -SyncName web @Aws | Out-Null
        $calls.Count | Should -Be ($Lab.Endpoint.Calls.Count - $before)
        # -Quiet: one answer for the whole pipeline.
        $quiet = @(@($results) + @($skip) | Test-MirrorPrerequisite @Aws -Quiet -ErrorAction SilentlyContinue)
        $quiet.Count | Should -Be 1
        $quiet[0] | Should -BeOfType [bool]
        $quiet[0] | Should -Be (-not ($checks | Where-Object { $_.Status.ToString() -eq 'Failed' }))
        # Ids and AWS.Tools sessions still bind -SessionId.
        @($kept[0] | Test-MirrorPrerequisite @Aws).Count | Should -BeGreaterThan 0
        @([pscustomobject]@{ TrafficMirrorSessionId = $kept[0] } | Test-MirrorPrerequisite @Aws).Count | Should -BeGreaterThan 0
    }

    It '-WhatIf writes ten What if lines and one for the rest, and a result for every change' {
        # 12 selected: the capture instance's interface takes 10 sources, the second target of the pool the other 2.
        $more = New-FakeAwsFleet 16
        try {
            $moreAws = Get-AwsParameters $more
            $lines = & (Join-Path $PSHOME 'pwsh') -NoProfile -c "Import-Module '$ModulePath'; Sync-MirrorSession -Name web -SourceTag @{ mirror = 'yes' } -TargetNetworkInterfaceId $($more.CaptureEni) -TargetInstanceId $($more.Fleet[3].Id) -Region eu-west-1 -AccessKey $($moreAws.AccessKey) -SecretKey '$($moreAws.SecretKey)' -EndpointUrl $($moreAws.EndpointUrl) -WhatIf | Measure-Object | ForEach-Object Count"
            @($lines | Where-Object { $_ -like 'What if:*' }).Count | Should -Be 11
            $lines | Where-Object { $_ -like 'What if:*(plus 2 more)*' } | Should -Not -BeNullOrEmpty
            $lines[-1] | Should -Be '12'
            $more.Endpoint.MutatingCalls.Count | Should -Be 0
        }
        finally { $more.Endpoint.DisposeAsync().AsTask().Wait() }
    }

    It 'shows results in an 80-column table with the reason' {
        $results = Sync-MirrorSession @Set @Aws -WhatIf
        $table = $results | Format-Table | Out-String -Width 80
        $table | Should -Match 'Action Source\s+SessionId\s+Reason'
        $table | Should -Match 'Create eni-'
    }
}

Describe 'Sync-MirrorSession on OCI' {
    BeforeEach {
        $script:Lab = New-Object 'MirrorTools.Tests.Cloud.OciMirrorLab'
        $folder = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory -Force -Path $folder
        $script:Oci = @{ ConfigFile = $Lab.Oci.WriteConfig($folder, 'DEFAULT', 'us-ashburn-1'); EndpointUrl = $Lab.Oci.Url.ToString() }
        $tags = [System.Collections.Generic.Dictionary[string, string]]::new()
        $tags['mirror'] = 'yes'
        $script:Vnics = foreach ($n in 20..23) { $Lab.Oci.State.AddInstance($Lab.SourceSubnet, "10.0.1.$n", $tags, 'VM.Standard.E4.Flex').Item2 }
        $script:Set = @{
            Name = 'web'; SourceTag = @{ mirror = '*' }; CompartmentId = [MirrorTools.Tests.Cloud.FakeOci.FakeOciState]::Compartment
            TargetNetworkLoadBalancerId = $Lab.LoadBalancer; Vni = 88
        }
    }
    AfterEach { $Lab.DisposeAsync().AsTask().Wait() }

    It '-WhatIf makes no mutating call; the sync creates started VTAPs; a second run is all Keep' {
        $planned = Sync-MirrorSession @Set @Oci -WhatIf
        @($planned | Where-Object { $_.Action.ToString() -eq 'Create' }).Count | Should -Be 4
        $Lab.Oci.MutatingCalls.Count | Should -Be 0

        $made = Sync-MirrorSession @Set @Oci -Confirm:$false
        @($made | Where-Object { $_.Action.ToString() -eq 'Create' }).Count | Should -Be 4
        $made[0].Provider | Should -Be 'Oci'
        $Lab.Oci.State.Vtaps.Values | ForEach-Object { $_['isVtapEnabled'].GetValue[bool]() } | Should -Not -Contain $false

        $before = $Lab.Oci.MutatingCalls.Count
        $again = Sync-MirrorSession @Set @Oci -Confirm:$false
        $again | ForEach-Object { $_.Action.ToString() } | Sort-Object -Unique | Should -Be 'Keep'
        $Lab.Oci.MutatingCalls.Count | Should -Be $before
    }

    It 'reports every failed VTAP and leaves no capture filter behind' {
        $Lab.Oci.Fail('POST vtaps', 404, 'NotAuthorizedOrNotFound')
        $results = Sync-MirrorSession @Set @Oci -Confirm:$false
        @($results | Where-Object { $_.Action.ToString() -eq 'Failed' }).Count | Should -Be 4
        @($Lab.LiveFilters).Count | Should -Be 0
    }

    It 'Sync-MirrorSession | Test-MirrorPrerequisite checks the VTAPs as a set, reading the load balancer once' {
        $made = Sync-MirrorSession @Set @Oci -Confirm:$false
        $before = $Lab.Oci.Calls.Count
        $checks = $made | Test-MirrorPrerequisite @Oci
        ($checks | ForEach-Object SessionId | Sort-Object -Unique) | Should -Be ($made.SessionId | Sort-Object)
        $calls = @($Lab.Oci.Calls | Select-Object -Skip $before)
        @($calls | Where-Object { $_.Method -eq 'GET' -and $_.Path -eq "networkLoadBalancers/$($Lab.LoadBalancer)" }).Count | Should -Be 1
    }
}
