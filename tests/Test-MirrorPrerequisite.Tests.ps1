#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2.0' }
# Test-MirrorPrerequisite as a user runs it. The host checks run for real on this machine; AWS
# calls go only to 127.0.0.1 (a closed port), to check input handling and error ids. The checks
# themselves are covered against a fake EC2/ELBv2 endpoint in the xunit tests (Checks/).

BeforeAll {
    . (Join-Path $PSScriptRoot 'MirrorTools.TestSupport.ps1')
    Import-Module $ModulePath -Force -ErrorAction Stop

    $script:HostCheckIds = @(
        'Host.LibpcapLoadable', 'Host.CapturePrivilege', 'Host.InterfaceUp', 'Host.MtuHoldsMirroredFrame',
        'Host.FirewallAllowsVxlan', 'Host.VxlanPortAvailable', 'Host.HealthCheckPortAnswering')

    # Fake keys and a closed loopback port: nothing leaves this machine.
    $script:Offline = @{
        Region      = 'eu-west-1'
        AccessKey   = 'AKIDMIRRORTOOLSPESTER'
        SecretKey   = 'not/a/real/secret/key/for/pester/tests00'
        EndpointUrl = 'http://127.0.0.1:9/'
    }

    function Get-FreeTcpPort {
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $listener.Start()
        try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
    }
}

Describe 'Test-MirrorPrerequisite' {
    Context 'the command' {
        It 'is exported with its parameter sets' {
            $command = Get-Command Test-MirrorPrerequisite -Module MirrorTools
            $command.ParameterSets.Name | Sort-Object | Should -Be @('ByEndpoints', 'ByObject', 'BySession', 'BySyncName', 'BySyncResult', 'Local', 'OciByEndpoints')
            # Sync results bind to -SyncResult only when its set is the default; strings still bind -SessionId.
            $command.DefaultParameterSet | Should -Be 'BySyncResult'
        }

        It 'says what to give when nothing is given' {
            { Test-MirrorPrerequisite -ErrorAction Stop } | Should -Throw -ErrorId 'MirrorPrerequisiteNothingToCheck,MirrorTools.Commands.TestMirrorPrerequisiteCommand'
        }

        It 'binds -SessionId by property name, also as TrafficMirrorSessionId' {
            $parameter = (Get-Command Test-MirrorPrerequisite).Parameters['SessionId']
            $parameter.Aliases | Should -Contain 'TrafficMirrorSessionId'
            $parameter.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] }).ValueFromPipelineByPropertyName | Should -Contain $true
        }

        It 'takes the AWS.Tools credential parameters and aliases' {
            $parameters = (Get-Command Test-MirrorPrerequisite).Parameters
            foreach ($name in 'Region', 'ProfileName', 'ProfileLocation', 'AccessKey', 'SecretKey', 'SessionToken', 'Credential', 'EndpointUrl') {
                $parameters.Keys | Should -Contain $name
            }
            $parameters['ProfileName'].Aliases | Should -Contain 'AWSProfileName'
            $parameters['ProfileName'].Aliases | Should -Contain 'StoredCredentials'
        }
    }

    Context '-Local' {
        It 'returns one result per host check, in order, each with a remedy unless it passed' {
            $results = Test-MirrorPrerequisite -Local -Interface lo
            $results.CheckId | Should -Be $HostCheckIds
            foreach ($result in $results) {
                # By name: the type lives in the module's AssemblyLoadContext, so a type literal does not resolve.
                $result.PSObject.TypeNames[0] | Should -Be 'MirrorTools.PrerequisiteResult'
                $result.Message | Should -Not -BeNullOrEmpty
                if ($result.Status -ne 'Passed') { $result.Remedy | Should -Not -BeNullOrEmpty }
            }
        }

        It 'says a health-check port with a listener answers, and a closed one does not' {
            $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
            $listener.Start()
            try {
                $port = $listener.LocalEndpoint.Port
                $result = Test-MirrorPrerequisite -Local -Interface lo -HealthCheckPort $port | Where-Object CheckId -eq 'Host.HealthCheckPortAnswering'
                $result.Status | Should -Be 'Passed'
            }
            finally { $listener.Stop() }

            $closed = Test-MirrorPrerequisite -Local -Interface lo -HealthCheckPort (Get-FreeTcpPort) | Where-Object CheckId -eq 'Host.HealthCheckPortAnswering'
            $closed.Status | Should -Be 'Failed'
            $closed.Remedy | Should -Match 'Start-VxlanCapture -HealthCheckPort'
        }

        It 'names this process when it holds the VXLAN port' {
            $holder = [System.Net.Sockets.UdpClient]::new(0)
            try {
                $port = $holder.Client.LocalEndPoint.Port
                $result = Test-MirrorPrerequisite -Local -Interface lo -Port $port | Where-Object CheckId -eq 'Host.VxlanPortAvailable'
                $result.Status | Should -Be 'Failed'
                if ($IsLinux) { $result.Message | Should -Match "pid $PID" }
            }
            finally { $holder.Dispose() }
        }

        It 'fails the interface check for an interface that does not exist' {
            $result = Test-MirrorPrerequisite -Local -Interface mtnothere0 | Where-Object CheckId -eq 'Host.InterfaceUp'
            $result.Status | Should -Be 'Failed'
            $result.Message | Should -Match "no interface 'mtnothere0'"
        }

        It 'judges the interface MTU against -SourceMtu, and names the assumption without it' -Skip:(-not $IsLinux) {
            $given = Test-MirrorPrerequisite -Local -Interface lo -SourceMtu 1500 | Where-Object CheckId -eq 'Host.MtuHoldsMirroredFrame'
            $given.Status | Should -Be 'Passed'
            $given.Message | Should -Match "lo's MTU \d+ holds a whole mirrored frame of a 1500-byte packet \(-SourceMtu\): 1554 bytes"
            $assumed = Test-MirrorPrerequisite -Local -Interface lo | Where-Object CheckId -eq 'Host.MtuHoldsMirroredFrame'
            $assumed.Message | Should -Match "assumed to be EC2's default, 9001; give the real one with -SourceMtu"
        }

        It 'refuses a source MTU no IP network has' {
            { Test-MirrorPrerequisite -Local -Interface lo -SourceMtu 20 -ErrorAction Stop } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,MirrorTools.Commands.TestMirrorPrerequisiteCommand'
        }

        It 'returns a single boolean with -Quiet' {
            $answer = Test-MirrorPrerequisite -Local -Interface mtnothere0 -Quiet
            $answer | Should -BeOfType [bool]
            @($answer).Count | Should -Be 1
            $answer | Should -BeFalse
        }
    }

    Context 'AWS input' {
        It 'rejects two targets, naming both, before calling AWS' {
            $null = Test-MirrorPrerequisite -SourceInstanceId i-0abc0000000000001 -TargetInstanceId i-0def0000000000002 -TargetNetworkInterfaceId eni-01230000000000003 @Offline -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'PrerequisiteInputAmbiguous,*'
            $problems[0].Exception.Message | Should -Match '-TargetNetworkInterfaceId and -TargetInstanceId'
        }

        It 'reports an unreachable endpoint per session and goes on to the next' {
            $null = 'tms-0aaaaaaaaaaaaaaa1', 'tms-0aaaaaaaaaaaaaaa2' | Test-MirrorPrerequisite @Offline -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems.Count | Should -Be 2
            $problems.FullyQualifiedErrorId | ForEach-Object { $_ | Should -BeLike 'AwsEndpointUnreachable,*' }
        }

        It 'is false with -Quiet when a session cannot be checked' {
            Test-MirrorPrerequisite -SessionId tms-0aaaaaaaaaaaaaaa1 @Offline -Quiet -ErrorAction SilentlyContinue | Should -BeFalse
        }

        It 'stops with a clear error for an unreadable instance type list' {
            { Test-MirrorPrerequisite -SessionId tms-0aaaaaaaaaaaaaaa1 @Offline -UnsupportedInstanceTypePath (Join-Path $TestDrive 'missing.txt') -ErrorAction Stop } |
                Should -Throw -ErrorId 'UnsupportedInstanceTypeListUnreadable,MirrorTools.Commands.TestMirrorPrerequisiteCommand'
        }
    }
}

Describe 'A runbook: pwsh -NonInteractive -File' {
    BeforeAll {
        $script:Pwsh = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
        $script:Runbook = Join-Path $TestDrive 'runbook.ps1'
        Set-Content -Path $Runbook -Value @"
param([int] `$Port, [string] `$Path)
Import-Module '$ModulePath'
if (-not (Test-MirrorPrerequisite -Local -Port `$Port -Quiet)) { exit 1 }
Start-VxlanCapture -Listener Socket -Port `$Port -Duration 00:00:01 -Path `$Path -Statistics
"@
        function Get-FreeUdpPort {
            $socket = [System.Net.Sockets.UdpClient]::new(0)
            try { $socket.Client.LocalEndPoint.Port } finally { $socket.Dispose() }
        }
    }

    It 'exits 0 after a bounded capture when every check passes' {
        $capture = Join-Path $TestDrive 'healthy.pcapng'
        $stderr = Join-Path $TestDrive 'healthy.err'
        $stdout = & $Pwsh -NoProfile -NonInteractive -File $Runbook -Port (Get-FreeUdpPort) -Path $capture 2> $stderr
        $LASTEXITCODE | Should -Be 0 -Because (Get-Content -Raw $stderr)
        Get-Content -Raw $stderr | Should -BeNullOrEmpty
        "$stdout" | Should -Match 'Received'
        $capture | Should -Exist
    }

    It 'exits non-zero with the failing check''s message on stderr when the VXLAN port is taken' {
        $holder = [System.Net.Sockets.UdpClient]::new(0)
        try {
            $port = $holder.Client.LocalEndPoint.Port
            $stderr = Join-Path $TestDrive 'broken.err'
            $null = & $Pwsh -NoProfile -NonInteractive -File $Runbook -Port $port -Path (Join-Path $TestDrive 'broken.pcapng') 2> $stderr
            $LASTEXITCODE | Should -Be 1
            $errors = Get-Content -Raw $stderr
            $errors | Should -Match 'Host\.VxlanPortAvailable failed'
            $errors | Should -Match "UDP $port"
        } finally { $holder.Dispose() }
    }
}

Describe 'Test-MirrorPrerequisite table view' {
    It 'shows status, check id and message in 80 columns, and the remedy under a failure' {
        $closed = Get-FreeTcpPort
        $results = @(Test-MirrorPrerequisite -Local -Interface lo -HealthCheckPort $closed)
        $failure = $results | Where-Object CheckId -EQ 'Host.HealthCheckPortAnswering'
        "$($failure.Status)" | Should -Be 'Failed'

        $lines = ($results | Out-String -Width 80) -split "`n" | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^Status\s+CheckId\s+Message'
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
        $lines | Where-Object { $_ -match '^Passed\s+Host\.LibpcapLoadable\s+libpcap' } | Should -HaveCount 1
        # Wrapped text: compare without the column padding and line breaks.
        $text = ($lines | ForEach-Object { $_.Substring([math]::Min(43, $_.Length)) }) -join ''
        $text | Should -BeLike "*Remedy: $($failure.Remedy.Substring(0, 20))*"
        $lines | Where-Object { $_ -match '^Failed\s+Host\.HealthCheckPortAnswering\s+\S' } | Should -HaveCount 1
    }
}
