#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2.0' }
# Get-InnerPacket and Get-InnerFlow -Interface as a user runs them: a live capture that decodes
# and filters in its capture threads. Traffic stays on loopback: the real AWS capture's VXLAN
# payloads, sent once to the socket listener (SO_REUSEPORT sockets, one per worker) on a free
# port, must give what the same cmdlets read from the file itself.

BeforeDiscovery {
    # Waiting for the listener reads Linux's /proc/net/udp6; -Workers above 1 is Linux-only too.
    $NotLinux = -not $IsLinux
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'MirrorTools.TestSupport.ps1')
    Import-Module $ModulePath -Force -ErrorAction Stop
    $aws = Get-PublicCapture 'aws-traffic-mirror-ssh-dns.pcap'
    $payloads = @(Read-VxlanPayloads $aws)

    function Get-FreeUdpPort {
        $socket = [System.Net.Sockets.UdpClient]::new(0)
        try { $socket.Client.LocalEndPoint.Port } finally { $socket.Dispose() }
    }

    # Waits until the capture in $Job has bound $Port (the kernel's UDP table lists it), then sends
    # every payload once, in order, from one socket: one outer flow, so one worker keeps it in order.
    function Send-OnceListening([int] $Port, $Job) {
        $hex = ':{0:X4} ' -f $Port
        $deadline = (Get-Date).AddSeconds(30)
        while (-not (Select-String -Path /proc/net/udp, /proc/net/udp6 -SimpleMatch $hex -Quiet) -and (Get-Date) -lt $deadline) {
            if ($Job.State -notin 'NotStarted', 'Running') { return }
            Start-Sleep -Milliseconds 50
        }
        $client = [System.Net.Sockets.UdpClient]::new()
        try { foreach ($payload in $payloads) { [void] $client.Send($payload, $payload.Length, '127.0.0.1', $Port) } }
        finally { $client.Dispose() }
    }
}

Describe 'Get-InnerPacket -Interface (-Listener Socket)' -Skip:$NotLinux {
    It 'outputs only the packets -Filter selects, as read from the file, and stops at -Count' {
        $port = Get-FreeUdpPort
        $job = Start-ThreadJob {
            Import-Module $using:ModulePath
            Get-InnerPacket -Listener Socket -VxlanPort $using:port -Workers 2 -Filter 'udp dst port 53' -Count 8 -Duration 00:00:30
        }
        Send-OnceListening -Port $port -Job $job
        $live = @(Receive-Job $job -Wait -AutoRemoveJob -ErrorAction Stop)
        $fromFile = @(Get-InnerPacket -Path $aws -Filter 'udp dst port 53')

        $live | Should -HaveCount 8
        $live[0].PSObject.TypeNames[0] | Should -Be 'MirrorTools.InnerPacket'
        $live.SourcePort | Should -Be $fromFile.SourcePort
        $live.Vni | Should -Be $fromFile.Vni
        $live.Source | Should -Be (@("udp/$port") * 8)
    }

    It 'keeps every raw frame in -Path while -Statistics counts the matches, per worker and summed' {
        $port = Get-FreeUdpPort
        $path = Join-Path $TestDrive 'live.pcapng'
        $job = Start-ThreadJob {
            Import-Module $using:ModulePath
            Get-InnerPacket -Listener Socket -VxlanPort $using:port -Workers 2 -Protocol Tcp -Path $using:path -Duration 00:00:04 -Statistics
        }
        Send-OnceListening -Port $port -Job $job
        $output = @(Receive-Job $job -Wait -AutoRemoveJob -ErrorAction Stop)

        $output | Should -HaveCount 1
        $statistics = $output[0]
        $statistics.PSObject.TypeNames[0] | Should -Be 'MirrorTools.CaptureStatistics'
        $statistics.Received | Should -Be 100
        $statistics.Matched | Should -Be @(Get-InnerPacket -Path $aws -Protocol Tcp).Count
        $statistics.Written | Should -Be 100
        $statistics.Workers | Should -Be 2
        ($statistics.PerWorker | Measure-Object Received -Sum).Sum | Should -Be 100
        ($statistics.PerWorker | Measure-Object Matched -Sum).Sum | Should -Be $statistics.Matched
        @(Get-InnerPacket -Path $path -VxlanPort $port -ErrorAction Stop) | Should -HaveCount 100
    }

    It 'refuses two -Path files for one capture (CaptureParameterInvalid)' {
        { Get-InnerPacket -Listener Socket -Path a.pcapng, b.pcapng -Count 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'CaptureParameterInvalid,MirrorTools.Commands.GetInnerPacketCommand'
    }
}

Describe 'Get-InnerFlow -Interface (-Listener Socket)' -Skip:$NotLinux {
    It 'gives the flows of the file, each written by the clock while the capture is still running' {
        $port = Get-FreeUdpPort
        $job = Start-ThreadJob {
            Import-Module $using:ModulePath
            Get-InnerFlow -Listener Socket -VxlanPort $using:port -Workers 2 -IdleTimeout 00:00:01 -Duration 00:00:12 |
                ForEach-Object { [pscustomobject]@{ Flow = $_; WrittenAt = [DateTime]::UtcNow } }
            [pscustomobject]@{ Flow = $null; WrittenAt = [DateTime]::UtcNow }
        }
        Send-OnceListening -Port $port -Job $job
        $sent = [DateTime]::UtcNow
        $results = @(Receive-Job $job -Wait -AutoRemoveJob -ErrorAction Stop)
        $ended = $results[-1].WrittenAt
        $live = @($results | Where-Object Flow | ForEach-Object Flow)

        $describe = { "$($_.Protocol) $($_.SourceAddress):$($_.SourcePort)>$($_.DestinationAddress):$($_.DestinationPort) $($_.ForwardPackets)/$($_.ReversePackets)" }
        ($live | ForEach-Object $describe | Sort-Object) | Should -Be (Get-InnerFlow -Path $aws | ForEach-Object $describe | Sort-Object)
        # Idle flows come out about a second after the burst, long before the 12-second capture ends.
        $results | Where-Object Flow | ForEach-Object { ($ended - $_.WrittenAt).TotalSeconds | Should -BeGreaterThan 5 }
        # Their times are the packets' capture times (the kernel's receive times), not the time they were written.
        $live | ForEach-Object { $_.LastSeen | Should -BeLessThan $_.FirstSeen.AddSeconds(2) }
        $live | ForEach-Object { $_.FirstSeen | Should -BeGreaterThan $sent.AddSeconds(-5) }
    }

    It 'writes a long flow out at -ActiveTimeout (EndReason ActiveTimeout)' {
        $flows = @(Get-InnerFlow -Path $aws -Protocol Tcp -ActiveTimeout 00:00:01)
        $flows.EndReason | Should -Contain 'ActiveTimeout'
        ($flows | Measure-Object ForwardPackets -Sum).Sum | Should -Be ((Get-InnerFlow -Path $aws -Protocol Tcp | Measure-Object ForwardPackets -Sum).Sum)
    }
}
