#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2.0' }
# New-, Get-, Test-, Set- and Remove-MirrorSession on Oracle Cloud as a user runs them (and Set-MirrorSession on AWS), against the
# fake OCI endpoint of the xunit project (HTTP on 127.0.0.1, every request's signature verified)
# reached through -EndpointUrl with a config file written for its key. Build first:
#   ./build.ps1 -Task Build, Test      (or: dotnet build tests/MirrorTools.Core.Tests; ./build.ps1 -Task Build)
# Needs PowerShell 7.6 or later (.NET 10), like the AWS tests; fails, saying so, otherwise.

BeforeAll {
    . (Join-Path $PSScriptRoot 'MirrorTools.TestSupport.ps1')
    Import-Module $ModulePath -Force -ErrorAction Stop
    Add-Type -Path (Get-FakeCloudAssembly)

    function Get-OciParameters($Lab, [string] $Folder) {
        $null = New-Item -ItemType Directory -Force -Path $Folder
        @{
            ConfigFile  = $Lab.Oci.WriteConfig($Folder, 'DEFAULT', 'us-ashburn-1')
            EndpointUrl = $Lab.Oci.Url.ToString()
        }
    }
}

Describe 'OCI VTAPs with New-, Get-, Test-, Set- and Remove-MirrorSession' {
    BeforeEach {
        $script:Lab = New-Object 'MirrorTools.Tests.Cloud.OciMirrorLab'
        $script:Oci = Get-OciParameters $Lab (Join-Path $TestDrive ([guid]::NewGuid()))
    }
    AfterEach { $Lab.DisposeAsync().AsTask().Wait() }

    It 'creates a started VTAP, finds it, checks it, stops and starts it, and removes it with its capture filter' {
        $session = New-MirrorSession -SourceVnicId $Lab.SourceVnic -TargetNetworkLoadBalancerId $Lab.LoadBalancer -Vni 4242 @Oci -Confirm:$false
        $session.PSObject.TypeNames[0] | Should -Be 'MirrorTools.MirrorSession'
        $session.Provider | Should -Be 'Oci'
        $session.State | Should -Be 'AVAILABLE/RUNNING'
        $session.Vni | Should -Be 4242

        $found = Get-MirrorSession -CompartmentId ([MirrorTools.Tests.Cloud.FakeOci.FakeOciState]::Compartment) @Oci
        $found.Id | Should -Be $session.Id
        (Get-MirrorSession -SessionId $session.Id @Oci).FilterId | Should -Be $session.FilterId

        $results = $session | Test-MirrorPrerequisite @Oci
        $results.Count | Should -Be 9
        $results | Where-Object Status -ne 'Passed' | Should -BeNullOrEmpty

        ($session | Set-MirrorSession -Enabled $false @Oci -Confirm:$false).State | Should -Be 'AVAILABLE/STOPPED'
        ($session | Test-MirrorPrerequisite @Oci | Where-Object CheckId -eq 'Oci.VtapEnabled').Status | Should -Be 'Failed'
        ($session | Set-MirrorSession -Enabled $true @Oci -Confirm:$false).State | Should -Be 'AVAILABLE/RUNNING'

        $session | Remove-MirrorSession @Oci -Confirm:$false
        Get-MirrorSession -CompartmentId ([MirrorTools.Tests.Cloud.FakeOci.FakeOciState]::Compartment) @Oci | Should -BeNullOrEmpty
        @($Lab.LiveVtaps).Count | Should -Be 0
        @($Lab.LiveFilters).Count | Should -Be 0
    }

    It 'shows a started VTAP that OCI stopped (its target deleted) as Down, and fails Oci.VtapEnabled naming the target' {
        $session = New-MirrorSession -SourceVnicId $Lab.SourceVnic -TargetNetworkLoadBalancerId $Lab.LoadBalancer -Vni 4242 @Oci -Confirm:$false
        $null = $Lab.Oci.State.NetworkLoadBalancers.Remove($Lab.LoadBalancer)
        $found = Get-MirrorSession -SessionId $session.Id @Oci
        $found.Enabled | Should -BeTrue
        $found.LifecycleStateDetails | Should -Be 'STOPPED'
        $found.State | Should -Be 'AVAILABLE/STOPPED'
        (($found | Out-String -Width 80) -split "`n" | Where-Object { $_.Trim() })[2] | Should -Match '\sDown$'
        $check = $found | Test-MirrorPrerequisite @Oci | Where-Object CheckId -eq 'Oci.VtapEnabled'
        $check.Status | Should -Be 'Failed'
        $check.Message | Should -BeLike "*target $($Lab.LoadBalancer) cannot be found*"
        $check.Remedy | Should -BeLike '*New-MirrorSession*'
    }

    It 'refuses an id that is not an OCID before any call: <Id>' -ForEach @(
        @{ Id = 'ocid1.vtap.oc1.iad.x/../../vcns' }
        @{ Id = 'ocid1.vtap.oc1.iad.x?compartmentId=ocid1.compartment.oc1..fakecompartment' }
    ) {
        foreach ($command in 'Get-MirrorSession', 'Remove-MirrorSession', 'Set-MirrorSession', 'Test-MirrorPrerequisite') {
            $extra = if ($command -eq 'Set-MirrorSession') { @{ Enabled = $false } } else { @{} }
            { & $command -SessionId $Id @Oci @extra -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId "ParameterArgumentValidationError,MirrorTools.Commands.$($command -replace '-', '')Command" -ExpectedMessage '*ResourceIdInvalid*'
        }
        $Lab.Oci.Calls.Count | Should -Be 0
    }

    It 'refuses an -EndpointUrl that is not http or https, as any bad URL: <Url>' -ForEach @(
        @{ Url = 'ftp://127.0.0.1/' }
        @{ Url = 'file:///etc/passwd' }
    ) {
        $session = @{ ConfigFile = $Oci.ConfigFile; EndpointUrl = $Url }
        { Get-MirrorSession -CompartmentId ([MirrorTools.Tests.Cloud.FakeOci.FakeOciState]::Compartment) @session -ErrorAction Stop } |
            Should -Throw -ErrorId 'EndpointUrlInvalid,MirrorTools.Commands.GetMirrorSessionCommand' -ExpectedMessage '*http and https*'
        { Get-MirrorSession -SessionId tms-0123456789abcdef0 -Region eu-west-1 -EndpointUrl $Url -ErrorAction Stop } |
            Should -Throw -ErrorId 'EndpointUrlInvalid,MirrorTools.Commands.GetMirrorSessionCommand' -ExpectedMessage '*http and https*'
        { Get-MirrorSession -CompartmentId ([MirrorTools.Tests.Cloud.FakeOci.FakeOciState]::Compartment) -ConfigFile $Oci.ConfigFile -EndpointUrl 'not a url' -ErrorAction Stop } |
            Should -Throw -ErrorId 'EndpointUrlInvalid,MirrorTools.Commands.GetMirrorSessionCommand'
    }

    It 'gives a capture filter still used by a VTAP its own remedy, not "run it again"' {
        $session = New-MirrorSession -SourceVnicId $Lab.SourceVnic -TargetNetworkLoadBalancerId $Lab.LoadBalancer @Oci -Confirm:$false
        $Lab.Oci.Fail('DELETE captureFilters', 409, 'Conflict', "Capture filter $($session.FilterId) is in use by a VTAP.")
        $err = $null
        $session | Remove-MirrorSession @Oci -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $conflict = $err | Where-Object { $_.Exception.Message -like '*in use by a VTAP*' } | Select-Object -First 1
        $conflict | Should -Not -BeNullOrEmpty
        $conflict.Exception.Message | Should -BeLike '*Remove or switch the VTAP that uses it first*'
        $conflict.Exception.Message | Should -Not -BeLike '*etag*'
    }

    It 'answers -Quiet with $false, and one OciNotAuthenticated error, when OCI rejects the key' {
        $session = New-MirrorSession -SourceVnicId $Lab.SourceVnic -TargetNetworkLoadBalancerId $Lab.LoadBalancer @Oci -Confirm:$false
        $session | Test-MirrorPrerequisite @Oci -Quiet | Should -BeTrue
        $Lab.Oci.PublicKeys.Clear()
        $err = $null
        $session | Test-MirrorPrerequisite @Oci -Quiet -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeFalse
        @($err).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'OciNotAuthenticated,MirrorTools.Commands.TestMirrorPrerequisiteCommand'
        $err[0].Exception.Message | Should -BeLike '9 checks could not run*fingerprint*'

        $results = $session | Test-MirrorPrerequisite @Oci -ErrorVariable err -ErrorAction SilentlyContinue
        $results.Count | Should -Be 9
        $results | ForEach-Object { $_.Status, $_.SkipReason -join '/' | Should -Be 'Skipped/CouldNotRun' }
        @($err).Count | Should -Be 1
    }

    It 'answers -Quiet with $false, and one OciEndpointUnreachable error, for an endpoint nothing listens on' {
        $closed = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $closed.Start(); $port = $closed.LocalEndpoint.Port; $closed.Stop()
        $err = $null
        Test-MirrorPrerequisite -SessionId 'ocid1.vtap.oc1.iad.unreachable' -ConfigFile $Oci.ConfigFile -EndpointUrl "http://127.0.0.1:$port/" -Quiet -ErrorVariable err -ErrorAction SilentlyContinue |
            Should -BeFalse
        @($err).Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'OciEndpointUnreachable,*'
    }

    It 'answers -Quiet with $true when the only skipped checks do not apply (an IP target has no load balancer)' {
        $results = Test-MirrorPrerequisite -SourceVnicId $Lab.SourceVnic -TargetIp 10.0.2.10 @Oci
        ($results | Where-Object Status -eq 'Skipped').SkipReason | Sort-Object -Unique | Should -Be 'NotApplicable'
        Test-MirrorPrerequisite -SourceVnicId $Lab.SourceVnic -TargetIp 10.0.2.10 @Oci -Quiet | Should -BeTrue
    }

    It 'warns, with the chmod to run, when the API key can be read by others' {
        $key = Join-Path (Split-Path $Oci.ConfigFile) 'oci_api_key.pem'
        chmod 644 $key
        $warnings = $null
        $null = Get-MirrorSession -CompartmentId ([MirrorTools.Tests.Cloud.FakeOci.FakeOciState]::Compartment) @Oci -WarningVariable warnings -WarningAction SilentlyContinue
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike "*mode 644*chmod 600 '$key'*"
        chmod 600 $key
        $null = Get-MirrorSession -CompartmentId ([MirrorTools.Tests.Cloud.FakeOci.FakeOciState]::Compartment) @Oci -WarningVariable warnings -WarningAction SilentlyContinue
        @($warnings).Count | Should -Be 0
    }

    It 'warns about a key others can read in a -MirrorSource lookup too' {
        $session = New-MirrorSession -SourceVnicId $Lab.SourceVnic -TargetNetworkLoadBalancerId $Lab.LoadBalancer @Oci -Confirm:$false
        chmod 644 (Join-Path (Split-Path $Oci.ConfigFile) 'oci_api_key.pem')
        $warnings = $null
        $null = Get-InnerPacket -Path $SampleCapture -MirrorSource $session @Oci -WarningVariable warnings -WarningAction SilentlyContinue
        @($warnings | Where-Object { "$_" -like '*chmod 600*' }).Count | Should -Be 1
    }

    It 'says a binary config file is not an OCI config, and a key_file naming a directory is a directory' {
        $binary = Join-Path $TestDrive 'binary-config'
        [IO.File]::WriteAllBytes($binary, [byte[]] (0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3))
        { Get-MirrorSession -CompartmentId ([MirrorTools.Tests.Cloud.FakeOci.FakeOciState]::Compartment) -ConfigFile $binary -EndpointUrl $Oci.EndpointUrl -ErrorAction Stop } |
            Should -Throw -ErrorId 'OciConfigFileInvalid,MirrorTools.Commands.GetMirrorSessionCommand' -ExpectedMessage '*is binary*'
        $config = Join-Path $TestDrive 'dir-key-config'
        (Get-Content -Raw $Oci.ConfigFile) -replace '(?m)^key_file=.*$', "key_file=$TestDrive" | Set-Content $config
        { Get-MirrorSession -CompartmentId ([MirrorTools.Tests.Cloud.FakeOci.FakeOciState]::Compartment) -ConfigFile $config -EndpointUrl $Oci.EndpointUrl -ErrorAction Stop } |
            Should -Throw -ErrorId 'OciKeyUnreadable,MirrorTools.Commands.GetMirrorSessionCommand' -ExpectedMessage '*is a directory*'
    }

    It 'finishes a removal whose capture filter DELETE failed when run again, and lists leftovers with -Orphaned' {
        $compartment = [MirrorTools.Tests.Cloud.FakeOci.FakeOciState]::Compartment
        $session = New-MirrorSession -SourceVnicId $Lab.SourceVnic -TargetNetworkLoadBalancerId $Lab.LoadBalancer @Oci -Confirm:$false
        $Lab.Oci.Fail('DELETE captureFilters', 500, 'InternalServerError')
        $session | Remove-MirrorSession @Oci -Confirm:$false -ErrorAction SilentlyContinue
        @($Lab.LiveVtaps).Count | Should -Be 0
        @($Lab.LiveFilters).Count | Should -Be 1
        $orphan = Get-MirrorSession -Orphaned -CompartmentId $compartment @Oci
        $orphan.Id | Should -Be $session.FilterId
        $orphan.Kind | Should -Be 'Filter'

        $Lab.Oci.Heal('DELETE captureFilters')
        Remove-MirrorSession -SessionId $session.Id @Oci -Confirm:$false   # the rerun: the VTAP is TERMINATED, its filter goes
        @($Lab.LiveFilters).Count | Should -Be 0
        Get-MirrorSession -Orphaned -CompartmentId $compartment @Oci | Should -BeNullOrEmpty
    }

    It 'removes OCI leftovers piped from Get-MirrorSession -Orphaned, and needs -CompartmentId to find them' {
        $compartment = [MirrorTools.Tests.Cloud.FakeOci.FakeOciState]::Compartment
        $session = New-MirrorSession -SourceVnicId $Lab.SourceVnic -TargetNetworkLoadBalancerId $Lab.LoadBalancer @Oci -Confirm:$false
        $Lab.Oci.Fail('DELETE captureFilters', 409, 'Conflict', 'Capture filter is in use by a VTAP.')
        $session | Remove-MirrorSession @Oci -Confirm:$false -ErrorAction SilentlyContinue
        $Lab.Oci.Heal('DELETE captureFilters')
        Get-MirrorSession -Orphaned -CompartmentId $compartment @Oci | Remove-MirrorSession @Oci -Confirm:$false
        @($Lab.LiveFilters).Count | Should -Be 0
    }

    It 'makes no mutating call with -WhatIf, for New, Set and Remove' {
        New-MirrorSession -SourceVnicId $Lab.SourceVnic -TargetNetworkLoadBalancerId $Lab.LoadBalancer @Oci -WhatIf | Should -BeNullOrEmpty
        $Lab.Oci.MutatingCalls.Count | Should -Be 0
        $session = New-MirrorSession -SourceVnicId $Lab.SourceVnic -TargetNetworkLoadBalancerId $Lab.LoadBalancer @Oci -Confirm:$false
        $before = $Lab.Oci.MutatingCalls.Count
        $session | Set-MirrorSession -Enabled $false -Vni 7 @Oci -WhatIf | Should -BeNullOrEmpty
        $session | Remove-MirrorSession @Oci -WhatIf
        $Lab.Oci.MutatingCalls.Count | Should -Be $before
        @($Lab.LiveVtaps).Count | Should -Be 1
    }

    It 'reuses the VTAP and capture filter when run again' {
        $first = New-MirrorSession -SourceVnicId $Lab.SourceVnic -TargetNetworkLoadBalancerId $Lab.LoadBalancer @Oci -Confirm:$false
        $second = New-MirrorSession -SourceVnicId $Lab.SourceVnic -TargetNetworkLoadBalancerId $Lab.LoadBalancer @Oci -Confirm:$false
        $second.Id | Should -Be $first.Id
        @($Lab.LiveVtaps).Count | Should -Be 1
        @($Lab.LiveFilters).Count | Should -Be 1
    }

    It 'creates an ingress-only VTAP when asked, and stops on a failed check (headers not preserved) before creating anything' {
        { New-MirrorSession -SourceVnicId $Lab.SourceVnic -TargetNetworkLoadBalancerId $Lab.LoadBalancer -Direction Ingress @Oci -ErrorAction Stop } |
            Should -Not -Throw
        $Lab.Oci.State.NetworkLoadBalancers[$Lab.LoadBalancer]['isPreserveSourceDestination'] = $false
        $other = $Lab.Oci.State.AddVnic($Lab.SourceSubnet, '10.0.1.9', $false, [string[]] @())
        $before = $Lab.Oci.MutatingCalls.Count
        { New-MirrorSession -SourceVnicId $other -TargetNetworkLoadBalancerId $Lab.LoadBalancer @Oci -ErrorAction Stop } |
            Should -Throw -ErrorId 'MirrorPrerequisiteFailed,MirrorTools.Commands.NewMirrorSessionCommand'
        $Lab.Oci.MutatingCalls.Count | Should -Be $before
    }

    It 'checks a planned VTAP by ids, naming the remedy of each failure' {
        $Lab.Oci.State.BackendSetHealth["$($Lab.LoadBalancer)/capture"] = 'CRITICAL'
        $result = Test-MirrorPrerequisite -SourceVnicId $Lab.SourceVnic -TargetNetworkLoadBalancerId $Lab.LoadBalancer @Oci |
            Where-Object CheckId -eq 'Oci.LoadBalancerBackendHealth'
        $result.Status | Should -Be 'Failed'
        $result.Remedy | Should -BeLike '*Start-VxlanCapture -HealthCheckPort 8080*'
    }

    It 'takes -CaptureFilterId and -MaxPacketSize as aliases of -FilterId and -PacketLength, and Get-MirrorSession -CompartmentId -Tag filters' {
        $made = New-MirrorSession -SourceVnicId $Lab.SourceVnic -TargetNetworkLoadBalancerId $Lab.LoadBalancer -MaxPacketSize 128 -Tag @{ Team = 'ids' } @Oci -Confirm:$false
        $made.PacketLength | Should -Be 128
        $other = $Lab.Oci.State.AddVnic($Lab.SourceSubnet, '10.0.1.8', $false, [string[]] @())
        $second = New-MirrorSession -SourceVnicId $other -TargetNetworkLoadBalancerId $Lab.LoadBalancer -CaptureFilterId $made.FilterId @Oci -Confirm:$false
        $second.FilterId | Should -Be $made.FilterId
        $compartment = [MirrorTools.Tests.Cloud.FakeOci.FakeOciState]::Compartment
        (Get-MirrorSession -CompartmentId $compartment -Tag @{ Team = 'ids' } @Oci).Id | Should -Be $made.Id
        @(Get-MirrorSession -CompartmentId $compartment @Oci).Count | Should -Be 2
    }

    It 'says -Enabled is for OCI when given an AWS session id, before any call' {
        # The AWS provider is connected (credentials resolved) first; the setting is refused before any call.
        { Set-MirrorSession -SessionId tms-0123456789abcdef0 -Enabled $false -Region eu-west-1 -AccessKey AKIDNOCALLMADE000001 -SecretKey none `
            -EndpointUrl http://127.0.0.1:9/ -ErrorAction Stop } |
            Should -Throw -ErrorId 'MirrorSettingNotForProvider,MirrorTools.Commands.SetMirrorSessionCommand'
    }

    It 'reports a key OCI does not know as OciNotAuthenticated, without the key in the message' {
        $Lab.Oci.PublicKeys.Clear()
        $err = $null
        Get-MirrorSession -CompartmentId ([MirrorTools.Tests.Cloud.FakeOci.FakeOciState]::Compartment) @Oci -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'OciNotAuthenticated,*'
        $err[0].Exception.Message | Should -BeLike '*fingerprint*'
        $key = Get-Content -Raw (Join-Path (Split-Path $Oci.ConfigFile) 'oci_api_key.pem')
        $err[0].Exception.Message | Should -Not -BeLike "*$(($key -split "`n")[1])*"
    }

    It 'shows an OCI session in the one table view, readable in 80 columns' {
        $session = New-MirrorSession -SourceVnicId $Lab.SourceVnic -TargetNetworkLoadBalancerId $Lab.LoadBalancer -Vni 4242 @Oci -Confirm:$false
        $lines = ($session | Out-String -Width 80) -split "`n" | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^Id\s+Vni\s+Source\s+Target\s+State'
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
        # OCIDs as the OCI console abbreviates them: type and the end of the unique part.
        $end = { param($ocid) $ocid.Substring($ocid.Length - 8) }
        $lines[2] | Should -Match ('^vtap…{0}\s+4242 vnic…{1}\s+network…{2}\s+On$' -f (& $end $session.Id), (& $end $session.NetworkInterfaceId), (& $end $session.TargetId))
    }
}

Describe 'Set-MirrorSession on AWS' {
    BeforeEach {
        $fake = 'MirrorTools.Tests.Cloud.FakeAws'
        $script:Aws = ("$fake.FakeAwsEndpoint" -as [type])::new('eu-west-1')
        $vpc = $Aws.State.AddVpc('10.0.0.0/16')
        $subnet = $Aws.State.AddSubnet($vpc, '10.0.1.0/24', $null)
        $noGroups = [System.Array]::CreateInstance(("$fake.FakeSecurityGroup" -as [type]), 0)
        $script:Source = $Aws.State.AddInstance($subnet, 'm5.large', $noGroups)
        $script:Capture = $Aws.State.AddInstance($subnet, 'c5n.large', $noGroups)
        $script:AwsParameters = @{
            Region = 'eu-west-1'; EndpointUrl = $Aws.Url.ToString()
            AccessKey = ("$fake.FakeAwsEndpoint" -as [type])::AccessKey; SecretKey = ("$fake.FakeAwsEndpoint" -as [type])::SecretKey
        }
    }
    AfterEach { $Aws.DisposeAsync().AsTask().Wait() }

    It 'changes the VNI of a piped session, and -WhatIf changes nothing' {
        $session = New-MirrorSession -SourceInstanceId $Source.Id -TargetInstanceId $Capture.Id -Vni 10 @AwsParameters -SkipPrerequisiteCheck -Confirm:$false
        $before = $Aws.MutatingCalls.Count
        $session | Set-MirrorSession -Vni 11 @AwsParameters -WhatIf | Should -BeNullOrEmpty
        $Aws.MutatingCalls.Count | Should -Be $before
        ($session | Set-MirrorSession -Vni 11 @AwsParameters -Confirm:$false).Vni | Should -Be 11
        (Get-MirrorSession -SessionId $session.Id @AwsParameters).Vni | Should -Be 11
    }
}

Describe 'Ctrl+C during New-MirrorSession''s wait' -Skip:(-not $IsLinux) {
    BeforeAll {
        if (-not (Get-Command tmux -ErrorAction Ignore)) { throw 'tmux is needed to send a real Ctrl+C: apt-get install tmux.' }
        # pwsh -File in a terminal (tmux), as a runbook or a user runs it: Ctrl+C arrives as SIGINT.
        $script:Child = Join-Path $TestDrive 'new-session.ps1'
        Set-Content -Path $Child -Value @'
param([string] $ModulePath, [string] $FakeAssembly, [string] $Folder)
Import-Module $ModulePath -ErrorAction Stop
Add-Type -Path $FakeAssembly
$lab = New-Object 'MirrorTools.Tests.Cloud.OciMirrorLab'
$lab.Oci.ProvisioningReads = -1   # the VTAP stays PROVISIONING: the command waits until Ctrl+C
$config = $lab.Oci.WriteConfig((New-Item -ItemType Directory -Force -Path $Folder).FullName, 'DEFAULT', 'us-ashburn-1')
$DebugPreference = 'Continue'
try {
    New-MirrorSession -SourceVnicId $lab.SourceVnic -TargetNetworkLoadBalancerId $lab.LoadBalancer -ConfigFile $config -EndpointUrl $lab.Oci.Url.ToString() -Confirm:$false
}
finally {
    [Console]::Out.WriteLine("LEFT vtaps=$(@($lab.LiveVtaps).Count) filters=$(@($lab.LiveFilters).Count)")
}
'@
    }

    It 'rolls back the VTAP and capture filter it created, and says so' {
        $out = Join-Path $TestDrive 'out.txt'
        $name = "mtseam$(Get-Random)"
        $pwsh = Join-Path $PSHOME 'pwsh'
        $command = "'$pwsh' -NoProfile -File '$Child' -ModulePath '$ModulePath' -FakeAssembly '$(Get-FakeCloudAssembly)' -Folder '$TestDrive/cfg' > '$out' 2>&1"
        & tmux new-session -d -s $name -x 200 -y 50 $command
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not ((Test-Path $out) -and (Get-Content -Raw $out) -match 'Created VTAP') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            (Get-Content -Raw $out) | Should -Match 'Created VTAP'
            Start-Sleep -Milliseconds 500
            & tmux send-keys -t $name C-c
            $deadline = [DateTime]::UtcNow.AddSeconds(200)
            while (-not ((Get-Content -Raw $out) -match 'LEFT ') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        }
        finally { & tmux kill-session -t $name 2>$null }
        $text = Get-Content -Raw $out
        $text | Should -Match 'Stopping: undoing what this command changed'
        $text | Should -Match 'MirrorCreationStopped: .*VTAP ocid1\.vtap.*capture filter ocid1\.capturefilter'
        $text | Should -Match 'LEFT vtaps=0 filters=0'
    }
}
