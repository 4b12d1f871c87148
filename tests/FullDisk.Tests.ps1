#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2.0' }
# Capture files on a filesystem that fills up: a real tmpfs of a few pages (mounting it needs root,
# which CI has; elsewhere these tests fail at the mount rather than pass unchecked). The command stops
# with CaptureFileWriteFailed, and the file ends on a whole record: tshark reads it with no error.

BeforeAll {
    . (Join-Path $PSScriptRoot 'MirrorTools.TestSupport.ps1')
    Import-Module $ModulePath -Force -ErrorAction Stop

    function Mount-TinyFileSystem([int] $Kilobytes) {
        $path = Join-Path ([IO.Path]::GetTempPath()) ('mt-full-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $path | Out-Null
        & mount -t tmpfs -o "size=${Kilobytes}k" tmpfs $path
        if ($LASTEXITCODE -ne 0) { Remove-Item $path; throw "mount -t tmpfs failed (exit $LASTEXITCODE): these tests need root" }
        $path
    }

    function Dismount-TinyFileSystem([string] $Path) {
        & umount --lazy $Path
        Remove-Item $Path
    }

    function Get-FreeUdpPort {
        $socket = [System.Net.Sockets.UdpClient]::new(0)
        try { $socket.Client.LocalEndPoint.Port } finally { $socket.Dispose() }
    }

    # tshark's frame count; its exit code 0 means no "cut short in the middle of a packet".
    function Get-TsharkFrameCount([string] $Path) {
        $errors = Join-Path $TestDrive 'tshark.err'
        $frames = @(& tshark -r $Path -T fields -e frame.number 2>$errors)
        $LASTEXITCODE | Should -Be 0 -Because "tshark reads $Path whole: $(Get-Content $errors -Raw)"
        $frames.Count
    }
}

Describe 'A full filesystem' {
    BeforeEach { $script:Disk = Mount-TinyFileSystem -Kilobytes 64 }
    AfterEach { Dismount-TinyFileSystem $Disk }

    It 'stops Export-InnerPacket -Format <Format> with CaptureFileWriteFailed and leaves a file tshark reads whole' -TestCases @(
        @{ Format = 'Pcapng' }, @{ Format = 'Pcap' }
    ) {
        param($Format)
        $path = Join-Path $Disk "inner.$($Format.ToLower())"
        # 200 copies of the 28-packet sample: about 700 KB, ten times what the filesystem holds.
        { 1..200 | ForEach-Object { Get-InnerPacket -Path $SampleCapture } | Export-InnerPacket -Path $path -Format $Format -ErrorAction Stop } |
            Should -Throw -ErrorId 'CaptureFileWriteFailed,MirrorTools.Commands.ExportInnerPacketCommand'

        (Get-Item $path).Length | Should -BeGreaterThan 0
        Get-TsharkFrameCount $path | Should -BeGreaterThan 100
    }

    It 'stops Start-VxlanCapture -Path with CaptureFileWriteFailed, a whole file and -StatisticsVariable set' {
        $port = Get-FreeUdpPort
        $path = Join-Path $Disk 'mirror.pcapng'
        $job = Start-ThreadJob {
            Import-Module $using:ModulePath
            $failure = $null
            try { Start-VxlanCapture -Listener Socket -Port $using:port -Path $using:path -Duration 00:00:30 -StatisticsVariable stats -ErrorAction Stop }
            catch { $failure = $_.FullyQualifiedErrorId }
            [pscustomobject]@{ Failure = $failure; Statistics = $stats }
        }
        $client = [System.Net.Sockets.UdpClient]::new()
        try {
            $datagram = [byte[]]::new(1000); $datagram[0] = 0x08; $datagram[6] = 7; $datagram[20] = 0x88; $datagram[21] = 0xB5
            $deadline = (Get-Date).AddSeconds(30)
            while ($job.State -in 'NotStarted', 'Running' -and (Get-Date) -lt $deadline) {
                1..20 | ForEach-Object { [void] $client.Send($datagram, $datagram.Length, '127.0.0.1', $port) }
                Start-Sleep -Milliseconds 20
            }
        } finally { $client.Dispose() }
        $result = Receive-Job $job -Wait -AutoRemoveJob -ErrorAction Stop

        $result.Failure | Should -Be 'CaptureFileWriteFailed,MirrorTools.Commands.StartVxlanCaptureCommand'
        $result.Statistics | Should -Not -BeNullOrEmpty -Because 'the statistics up to the failure are kept'
        $result.Statistics.Received | Should -BeGreaterThan 0
        $frames = Get-TsharkFrameCount $path
        $frames | Should -BeGreaterThan 0
        $frames | Should -Be $result.Statistics.Written -Because "Written counts the frames the file holds, not those cut off with the torn record"
    }
}
