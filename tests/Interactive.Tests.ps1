#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2.0' }
# Ctrl+C as a user's terminal sends it: an interactive pwsh in tmux, keys typed with send-keys, the
# screen read with capture-pane. tmux and pwsh's line editor (PSReadLine) run for real; traffic stays
# on loopback (the socket listener on a free port).

BeforeDiscovery {
    # tmux is a Linux/macOS terminal multiplexer; on Windows a console cannot be driven this way.
    $NotUnix = $IsWindows
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'MirrorTools.TestSupport.ps1')
    if (-not (Get-Command tmux -ErrorAction Ignore)) { throw 'tmux is needed for the interactive tests: apt-get install tmux.' }
    $script:Pwsh = Join-Path $PSHOME 'pwsh'
    $script:ModuleToImport = $ModulePath

    # A fresh interactive pwsh in a detached tmux session, with the module imported, at its prompt.
    function Start-InteractivePwsh([int] $Width = 120) {
        $name = 'mt-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        & tmux new-session -d -s $name -x $Width -y 40 "$Pwsh -NoProfile -NoLogo"
        Wait-Screen $name { param($lines) $lines[-1] -match '^PS .*>\s*$' } -TimeoutSeconds 60 | Out-Null
        Send-Line $name "Import-Module '$ModuleToImport'; 'module-' + 'ready'"
        Wait-Screen $name { param($lines) ($lines -contains 'module-ready') -and $lines[-1] -match '^PS .*>\s*$' } -TimeoutSeconds 60 | Out-Null
        Send-Line $name 'Clear-Host'
        Wait-Screen $name { param($lines) $lines.Count -eq 1 -and $lines[-1] -match '^PS .*>\s*$' } | Out-Null
        $name
    }

    function Send-Line([string] $Session, [string] $Text) {
        & tmux send-keys -t $Session -l $Text
        & tmux send-keys -t $Session Enter
    }

    # The screen's non-empty lines (prompt trailing space kept).
    function Get-Screen([string] $Session) {
        @(& tmux capture-pane -t $Session -p -J) | Where-Object { $_.Trim() -ne '' }
    }

    # Polls the screen every 20 ms until the condition holds; returns the seconds it took.
    function Wait-Screen([string] $Session, [scriptblock] $Condition, [double] $TimeoutSeconds = 20) {
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        while ($clock.Elapsed.TotalSeconds -lt $TimeoutSeconds) {
            $lines = @(Get-Screen $Session)
            if ($lines.Count -gt 0 -and (& $Condition -lines $lines)) { return $clock.Elapsed.TotalSeconds }
            Start-Sleep -Milliseconds 20
        }
        throw "Timed out after $TimeoutSeconds s waiting on the screen of $Session`n$((Get-Screen $Session) -join "`n")"
    }

    # The prompts on the screen. Counted, not the lines: a prompt that follows a line filled to the
    # pane's width is joined to it by capture-pane -J, so the number of lines need not grow.
    function Get-PromptCount([string[]] $Lines) { [regex]::Matches(($Lines -join "`n"), 'PS [^\n>]*>').Count }

    # Ctrl+C, then the seconds until pwsh shows its prompt again.
    function Send-CtrlC([string] $Session) {
        $before = Get-PromptCount @(Get-Screen $Session)
        & tmux send-keys -t $Session C-c
        Wait-Screen $Session { param($lines) (Get-PromptCount $lines) -gt $before -and $lines[-1] -match '^PS .*>\s*$' } -TimeoutSeconds 10
    }

    function Stop-InteractivePwsh([string] $Session) { & tmux kill-session -t $Session 2>$null }

    function Get-FreeUdpPort {
        $socket = [System.Net.Sockets.UdpClient]::new(0)
        try { $socket.Client.LocalEndPoint.Port } finally { $socket.Dispose() }
    }

    # A classic pcap of $Count copies of the sample's first record: large enough that decoding it
    # takes many seconds in PowerShell.
    function New-LargeCapture([string] $Path, [int] $Count) {
        $sample = [System.IO.File]::ReadAllBytes($SampleCapture)
        $recordLength = 16 + [BitConverter]::ToInt32($sample, 24 + 8)
        $record = [byte[]]::new($recordLength)
        [Array]::Copy($sample, 24, $record, 0, $recordLength)
        $perChunk = 10000
        $chunk = [byte[]]::new($recordLength * $perChunk)
        for ($i = 0; $i -lt $perChunk; $i++) { [Array]::Copy($record, 0, $chunk, $i * $recordLength, $recordLength) }
        $file = [System.IO.File]::Create($Path)
        try {
            $file.Write($sample, 0, 24)
            for ($written = 0; $written -lt $Count; $written += $perChunk) { $file.Write($chunk, 0, $chunk.Length) }
        } finally { $file.Dispose() }
    }
}

Describe 'Ctrl+C in an interactive pwsh' -Skip:$NotUnix {
    BeforeEach { $script:Session = Start-InteractivePwsh }
    AfterEach { Stop-InteractivePwsh $Session }

    It 'stops Start-VxlanCapture -Path within a second and leaves a complete file tshark reads' {
        $port = Get-FreeUdpPort
        $path = Join-Path $TestDrive 'interrupted.pcapng'
        Send-Line $Session "Start-VxlanCapture -Listener Socket -Port $port -Path '$path'"
        $deadline = (Get-Date).AddSeconds(30)
        while (-not (Test-Path $path) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 50 }
        $path | Should -Exist -Because 'the capture creates its file once it listens'

        $client = [System.Net.Sockets.UdpClient]::new()
        $datagram = [byte[]]::new(68); $datagram[0] = 0x08; $datagram[6] = 7; $datagram[20] = 0x88; $datagram[21] = 0xB5
        1..25 | ForEach-Object { [void] $client.Send($datagram, 68, '127.0.0.1', $port); Start-Sleep -Milliseconds 10 }
        $client.Dispose()
        Start-Sleep -Milliseconds 300

        $seconds = Send-CtrlC $Session
        Write-Host "  prompt back $([math]::Round($seconds, 3)) s after Ctrl+C"
        $seconds | Should -BeLessThan 1

        $frames = @(& tshark -r $path -T fields -e frame.number 2>$null)
        $LASTEXITCODE | Should -Be 0 -Because 'tshark reads the file whole'
        $frames | Should -HaveCount 25
    }

    It 'stops Get-InnerPacket on a large file within a second' {
        $path = Join-Path $TestDrive 'large.pcap'
        New-LargeCapture -Path $path -Count 2000000
        Send-Line $Session "Get-InnerPacket -Path '$path' | Measure-Object"
        Start-Sleep -Seconds 2
        (Get-Screen $Session)[-1] | Should -Not -Match '^PS .*>\s*$' -Because 'the decode is still running when Ctrl+C comes'

        $seconds = Send-CtrlC $Session
        Write-Host "  prompt back $([math]::Round($seconds, 3)) s after Ctrl+C"
        $seconds | Should -BeLessThan 1
        Get-Screen $Session | Should -Not -Contain 'Count    : 2000000'
    }

    It 'stops Get-InnerPacket on a FIFO that no writer has opened within a second' {
        $fifo = Join-Path $TestDrive 'nowriter.fifo'
        & mkfifo $fifo
        Send-Line $Session "Get-InnerPacket -Path '$fifo'"
        Start-Sleep -Seconds 1
        (Get-Screen $Session)[-1] | Should -Not -Match '^PS .*>\s*$' -Because 'the read waits for a writer, as tcpdump -r does'

        $seconds = Send-CtrlC $Session
        Write-Host "  prompt back $([math]::Round($seconds, 3)) s after Ctrl+C"
        $seconds | Should -BeLessThan 1
    }

    It 'stops Get-InnerPacket -Interface (socket, two workers) within a second and leaves a complete -Path file' {
        $port = Get-FreeUdpPort
        $path = Join-Path $TestDrive 'interrupted-inner.pcapng'
        Send-Line $Session "Get-InnerPacket -Listener Socket -VxlanPort $port -Workers 2 -Path '$path' -Filter 'ip'"
        $deadline = (Get-Date).AddSeconds(30)
        while (-not (Test-Path $path) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 50 }
        $path | Should -Exist -Because 'the capture creates its file once it listens'

        $client = [System.Net.Sockets.UdpClient]::new()
        $datagram = [byte[]]::new(68); $datagram[0] = 0x08; $datagram[6] = 7; $datagram[20] = 0x88; $datagram[21] = 0xB5
        1..25 | ForEach-Object { [void] $client.Send($datagram, 68, '127.0.0.1', $port); Start-Sleep -Milliseconds 10 }
        $client.Dispose()
        Start-Sleep -Milliseconds 300

        $seconds = Send-CtrlC $Session
        Write-Host "  prompt back $([math]::Round($seconds, 3)) s after Ctrl+C"
        $seconds | Should -BeLessThan 1

        # -Filter 'ip' rejects every one of these non-IP frames, yet -Path keeps them all.
        $frames = @(& tshark -r $path -T fields -e frame.number 2>$null)
        $LASTEXITCODE | Should -Be 0 -Because 'tshark reads the file whole'
        $frames | Should -HaveCount 25
    }
}
