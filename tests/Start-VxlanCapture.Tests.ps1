#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2.0' }
# Start-VxlanCapture as a user runs it. Traffic stays on loopback: VXLAN datagrams sent to the
# socket listener on a free port. libpcap tests need root and libpcap (they run in CI as root).
# The socket listener's frames carry the port it listened on as their UDP destination port, so
# Get-InnerPacket is told that port with -VxlanPort (it decodes 4789 by default).

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'MirrorTools.TestSupport.ps1')
    # -Skip is decided at discovery, before BeforeAll runs. These two name Linux's loopback (lo)
    # and need root there (CI runs as root); elsewhere the interface has another name.
    $NotLinux = -not $IsLinux
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'MirrorTools.TestSupport.ps1')
    Import-Module $ModulePath -Force -ErrorAction Stop

    function Get-FreeUdpPort {
        $socket = [System.Net.Sockets.UdpClient]::new(0)
        try { $socket.Client.LocalEndPoint.Port } finally { $socket.Dispose() }
    }

    function Get-FreeTcpPort {
        $listener = [System.Net.Sockets.TcpListener]::new([ipaddress]::Loopback, 0)
        $listener.Start()
        try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
    }

    # VXLAN header (I flag, VNI) + a 60-byte inner Ethernet frame.
    function New-VxlanDatagram([int] $Vni = 4242) {
        $datagram = [byte[]]::new(68)
        $datagram[0] = 0x08
        $datagram[4] = ($Vni -shr 16) -band 0xFF
        $datagram[5] = ($Vni -shr 8) -band 0xFF
        $datagram[6] = $Vni -band 0xFF
        $datagram[20] = 0x88; $datagram[21] = 0xB5
        , $datagram
    }

    # Sends datagrams to a port every 50 ms until the job ends, so the capture gets them once it listens.
    # A thread job may still be NotStarted when Start-ThreadJob returns.
    function Send-UntilDone([int] $Port, $Job) {
        $client = [System.Net.Sockets.UdpClient]::new()
        try {
            $deadline = (Get-Date).AddSeconds(20)
            while ($Job.State -in 'NotStarted', 'Running' -and (Get-Date) -lt $deadline) {
                [void] $client.Send((New-VxlanDatagram), 68, '127.0.0.1', $Port)
                Start-Sleep -Milliseconds 50
            }
        } finally { $client.Dispose() }
    }
}

Describe 'Start-VxlanCapture -Listener Socket' {
    It 'outputs -Count CapturedFrames that Get-InnerPacket decodes with their VNI' {
        $port = Get-FreeUdpPort
        # -Duration only bounds the test if the frames never come: -Count ends it first.
        $job = Start-ThreadJob { Import-Module $using:ModulePath; Start-VxlanCapture -Listener Socket -Port $using:port -Count 3 -Duration 00:00:30 }
        Send-UntilDone -Port $port -Job $job
        $frames = Receive-Job $job -Wait -AutoRemoveJob -ErrorAction Stop

        $frames | Should -HaveCount 3
        # By name: the type lives in the module's AssemblyLoadContext, so a type literal does not resolve.
        $frames[0].PSObject.TypeNames[0] | Should -Be 'MirrorTools.CapturedFrame'
        $frames[0].LinkType | Should -Be 'Raw'
        ($frames | Get-InnerPacket -VxlanPort $port).Vni | Should -Be @(4242, 4242, 4242)
    }

    It 'stops when downstream has enough (Select-Object -First)' {
        $port = Get-FreeUdpPort
        $sender = Start-ThreadJob {
            $target = $using:port
            $client = [System.Net.Sockets.UdpClient]::new()
            1..200 | ForEach-Object { [void] $client.Send([byte[]]::new(68), 68, '127.0.0.1', $target); Start-Sleep -Milliseconds 50 }
        }
        try {
            $frames = Start-VxlanCapture -Listener Socket -Port $port -Duration 00:00:20 | Select-Object -First 2
            $frames | Should -HaveCount 2
            # The port is free again: the capture really stopped.
            { [System.Net.Sockets.UdpClient]::new($port).Dispose() } | Should -Not -Throw
        } finally { Remove-Job $sender -Force }
    }

    It 'writes a pcapng file that is complete after Stop-Job' {
        $port = Get-FreeUdpPort
        $path = Join-Path $TestDrive 'mirror.pcapng'
        $job = Start-ThreadJob { Import-Module $using:ModulePath; Start-VxlanCapture -Listener Socket -Port $using:port -Path $using:path }
        # The file is created after the socket is bound: from then on nothing sent is lost.
        $deadline = (Get-Date).AddSeconds(20)
        while (-not (Test-Path $path) -and $job.State -in 'NotStarted', 'Running' -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 50 }
        $client = [System.Net.Sockets.UdpClient]::new()
        1..40 | ForEach-Object { [void] $client.Send((New-VxlanDatagram), 68, '127.0.0.1', $port); Start-Sleep -Milliseconds 25 }
        $client.Dispose()
        # Stop-Job is Ctrl+C for the job: the cmdlet's Dispose flushes and closes the file.
        Stop-Job $job
        $null = Wait-Job $job -Timeout 20
        Remove-Job $job -Force

        $packets = @(Get-InnerPacket -Path $path -VxlanPort $port -ErrorAction Stop)
        $packets.Count | Should -BeGreaterThan 0
        $packets[0].Vni | Should -Be 4242
    }

    It 'outputs only a CaptureStatistics object with -Statistics (a counting capture)' {
        $port = Get-FreeUdpPort
        $job = Start-ThreadJob { Import-Module $using:ModulePath; Start-VxlanCapture -Listener Socket -Port $using:port -Duration 00:00:02 -Statistics }
        Send-UntilDone -Port $port -Job $job
        $output = @(Receive-Job $job -Wait -AutoRemoveJob -ErrorAction Stop)

        $output | Should -HaveCount 1
        $output[0].PSObject.TypeNames[0] | Should -Be 'MirrorTools.CaptureStatistics'
        $output[0].Backend | Should -Be 'Socket'
        $output[0].Received | Should -BeGreaterThan 0
        $output[0].Interface | Should -Be "udp/$port"
    }

    It 'pipes frames to Get-InnerPacket and Export-InnerPacket while -StatisticsVariable keeps the summary' {
        $port = Get-FreeUdpPort
        $path = Join-Path $TestDrive 'inner.pcapng'
        $job = Start-ThreadJob {
            Import-Module $using:ModulePath
            $packets = @(Start-VxlanCapture -Listener Socket -Port $using:port -Count 5 -Duration 00:00:30 -StatisticsVariable stats |
                Get-InnerPacket -VxlanPort $using:port | Export-InnerPacket -Path $using:path -PassThru)
            [pscustomobject]@{ Packets = $packets.Count; Vnis = @($packets.Vni | Sort-Object -Unique); Received = $stats.Received; Type = $stats.PSObject.TypeNames[0] }
        }
        Send-UntilDone -Port $port -Job $job
        $result = Receive-Job $job -Wait -AutoRemoveJob -ErrorAction Stop

        $result.Packets | Should -Be 5
        $result.Vnis | Should -Be @(4242)
        $result.Type | Should -Be 'MirrorTools.CaptureStatistics'
        $result.Received | Should -Be 5
        @(& tshark -r $path -T fields -e eth.type) | Should -Be (@('0x88b5') * 5) -Because 'the export holds the 5 inner frames'
    }

    It 'feeds the files of a -Path -Statistics capture to Get-InnerPacket through Files' {
        $port = Get-FreeUdpPort
        $path = Join-Path $TestDrive 'counted.pcapng'
        $job = Start-ThreadJob { Import-Module $using:ModulePath; Start-VxlanCapture -Listener Socket -Port $using:port -Path $using:path -Duration 00:00:02 -Statistics }
        Send-UntilDone -Port $port -Job $job
        $statistics = Receive-Job $job -Wait -AutoRemoveJob -ErrorAction Stop

        $statistics.Files | Should -Be @($path)
        $packets = @($statistics | Get-InnerPacket -VxlanPort $port -ErrorAction Stop)
        $packets.Count | Should -Be $statistics.Written
        $packets[0].Vni | Should -Be 4242
    }

    It 'warns instead of failing when a summary without files reaches Get-InnerPacket' {
        $port = Get-FreeUdpPort
        $output = Start-VxlanCapture -Listener Socket -Port $port -Duration 00:00:01 -Statistics |
            Get-InnerPacket -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable errors -ErrorAction SilentlyContinue
        $output | Should -BeNullOrEmpty
        $errors | Should -BeNullOrEmpty
        $warnings | Should -HaveCount 1
        "$warnings" | Should -BeLike '*No capture file to read*'
    }

    It 'refuses -Statistics with -PassThru, pointing to -StatisticsVariable (CaptureParameterInvalid)' {
        { Start-VxlanCapture -Listener Socket -Port (Get-FreeUdpPort) -Path (Join-Path $TestDrive 'x.pcapng') -PassThru -Statistics -Count 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'CaptureParameterInvalid,MirrorTools.Commands.StartVxlanCaptureCommand' -ExpectedMessage '*-StatisticsVariable*'
    }

    It 'answers the TCP health check while it runs' {
        $port = Get-FreeUdpPort
        $healthPort = Get-FreeTcpPort
        $job = Start-ThreadJob { Import-Module $using:ModulePath; Start-VxlanCapture -Listener Socket -Port $using:port -Duration 00:00:05 -HealthCheckPort $using:healthPort }
        try {
            $connected = $false
            foreach ($attempt in 1..40) {
                $client = [System.Net.Sockets.TcpClient]::new()
                try { $client.Connect('127.0.0.1', $healthPort); $connected = $true; break }
                catch { Start-Sleep -Milliseconds 100 }
                finally { $client.Dispose() }
            }
            $connected | Should -BeTrue
        } finally { Remove-Job $job -Force }
    }

    It 'answers a UDP health-check request with the response' {
        $port = Get-FreeUdpPort
        $healthPort = Get-FreeUdpPort
        $job = Start-ThreadJob {
            Import-Module $using:ModulePath
            Start-VxlanCapture -Listener Socket -Port $using:port -Duration 00:00:05 -HealthCheckPort $using:healthPort -HealthCheckProtocol Udp -HealthCheckRequest request -HealthCheckResponse response
        }
        try {
            $client = [System.Net.Sockets.UdpClient]::new()
            $client.Client.ReceiveTimeout = 200
            $answer = $null
            foreach ($attempt in 1..25) {
                [void] $client.Send([Text.Encoding]::ASCII.GetBytes('request'), 7, '127.0.0.1', $healthPort)
                try { $from = $null; $answer = [Text.Encoding]::ASCII.GetString($client.Receive([ref] $from)); break } catch { }
            }
            $client.Dispose()
            $answer | Should -Be 'response'
        } finally { Remove-Job $job -Force }
    }
}

Describe 'Start-VxlanCapture errors' {
    It 'names what holds a busy port (CapturePortInUse)' {
        $holder = [System.Net.Sockets.UdpClient]::new([System.Net.Sockets.AddressFamily]::InterNetworkV6)
        $holder.Client.DualMode = $true
        $holder.Client.Bind([System.Net.IPEndPoint]::new([ipaddress]::IPv6Any, 0))
        try {
            $port = $holder.Client.LocalEndPoint.Port
            # Only Linux names the holder (from /proc); elsewhere the message says the port is in use.
            $expected = if ($IsLinux) { "*PID $PID*" } else { "*UDP port $port is already in use*" }
            { Start-VxlanCapture -Listener Socket -Port $port -Count 1 -ErrorAction Stop } |
                Should -Throw -ErrorId 'CapturePortInUse,MirrorTools.Commands.StartVxlanCaptureCommand' -ExpectedMessage $expected
        } finally { $holder.Dispose() }
    }

    It 'rejects -MaxFiles without -Path (CaptureParameterInvalid)' {
        { Start-VxlanCapture -Listener Socket -MaxFiles 3 -MaxFileSizeMB 1 -Count 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'CaptureParameterInvalid,MirrorTools.Commands.StartVxlanCaptureCommand'
    }

    It 'reports a nonexistent interface (CaptureInterfaceNotFound)' -Skip:$NotLinux {
        { Start-VxlanCapture -Interface 'mt-no-such0' -Count 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'CaptureInterfaceNotFound,MirrorTools.Commands.StartVxlanCaptureCommand'
    }
}

Describe 'Start-VxlanCapture -Interface completion' {
    # libpcap lists the interfaces (pcap_findalldevs); without it the completer offers nothing.
    It 'lists the loopback interface' -Skip:$NotLinux {
        $line = 'Start-VxlanCapture -Interface l'
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        $completions.CompletionText | Should -Contain 'lo'
    }
}
