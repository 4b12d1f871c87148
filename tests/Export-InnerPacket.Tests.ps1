#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2.0' }
# Export-InnerPacket as a user calls it; the written files are checked with tshark, the reference
# decoder. Everything runs on the repository's sample capture; one more round trip runs on the
# public AWS capture in tests/captures.

BeforeAll {
    . (Join-Path $PSScriptRoot 'MirrorTools.TestSupport.ps1')
    Import-Module $ModulePath -Force -ErrorAction Stop

    # tshark's view of a file: one object per packet with the fields asked for.
    function Get-TsharkFields([string] $Path, [string[]] $Field) {
        $arguments = @('-r', $Path, '-T', 'fields', '-E', 'separator=/t') + ($Field | ForEach-Object { '-e', $_ })
        $lines = & tshark @arguments 2>$null
        $LASTEXITCODE | Should -Be 0 -Because "tshark reads $Path"
        if (-not $lines) { return }
        $lines | ConvertFrom-Csv -Delimiter "`t" -Header $Field
    }
}

AfterAll {
    Remove-Module MirrorTools -ErrorAction Ignore
}

Describe 'Export-InnerPacket round trip' {
    BeforeAll {
        # IPv4 only (tshark's ip.src/ip.dst below), TCP and UDP, microsecond stamps.
        $packets = @(Get-InnerPacket -Path (Get-PublicCapture 'aws-traffic-mirror-ssh-dns.pcap'))
        $pcapng = Join-Path $TestDrive 'inner.pcapng'
        $packets | Export-InnerPacket -Path $pcapng
        $pcap = Join-Path $TestDrive 'inner.pcap'
        $packets | Export-InnerPacket -Path $pcap -Format Pcap
    }

    It 'writes pcapng that tshark decodes to the same inner packets' {
        $decoded = @(Get-TsharkFields $pcapng 'eth.src', 'ip.src', 'ip.dst', 'tcp.dstport', 'udp.dstport')
        $decoded.Count | Should -Be $packets.Count
        for ($i = 0; $i -lt $packets.Count; $i++) {
            $decoded[$i].'eth.src' | Should -Be $packets[$i].SourceMac
            $decoded[$i].'ip.src' | Should -Be "$($packets[$i].SourceAddress)"
            $decoded[$i].'ip.dst' | Should -Be "$($packets[$i].DestinationAddress)"
            "$($decoded[$i].'tcp.dstport')$($decoded[$i].'udp.dstport')" | Should -Be "$($packets[$i].DestinationPort)"
        }
    }

    It 'keeps the timestamps to the nanosecond in pcapng' {
        $times = @(Get-TsharkFields $pcapng 'frame.time_epoch')
        for ($i = 0; $i -lt $packets.Count; $i++) {
            $nanoseconds = [long]($times[$i].'frame.time_epoch' -replace '\.', '')
            $nanoseconds | Should -Be $packets[$i].TimestampNanoseconds
        }
    }

    It 'names the tunnel in each pcapng packet comment' {
        $comments = @(Get-TsharkFields $pcapng 'frame.comment')
        $comments[0].'frame.comment' | Should -BeLike "vni=$($packets[0].Vni) outer=$($packets[0].OuterSource):*"
    }

    It 'writes classic pcap with the nanosecond magic that tshark decodes' {
        $magic = [System.IO.File]::ReadAllBytes($pcap)[0..3]
        [System.BitConverter]::ToString($magic) | Should -Be '4D-3C-B2-A1'
        @(Get-TsharkFields $pcap 'ip.src').Count | Should -Be $packets.Count
    }

    It 'writes inner frames only: the export holds no VXLAN' {
        @(Get-InnerPacket -Path $pcapng -ErrorVariable problems).Count | Should -Be 0
        $problems | Should -BeNullOrEmpty
    }
}

Describe 'Export-InnerPacket round trip on the sample' {
    It 'writes pcapng that tshark reads back frame for frame, with lengths and nanosecond times' {
        $packets = @(Get-InnerPacket -Path $SampleCapture)
        $path = Join-Path $TestDrive 'sample-inner.pcapng'
        $packets | Export-InnerPacket -Path $path
        $decoded = @(Get-TsharkFields $path 'eth.src', 'eth.dst', 'frame.len', 'frame.time_epoch')
        $decoded.Count | Should -Be $packets.Count
        for ($i = 0; $i -lt $packets.Count; $i++) {
            $decoded[$i].'eth.src' | Should -Be $packets[$i].SourceMac
            $decoded[$i].'eth.dst' | Should -Be $packets[$i].DestinationMac
            [int]$decoded[$i].'frame.len' | Should -Be $packets[$i].Length
            [long]($decoded[$i].'frame.time_epoch' -replace '\.', '') | Should -Be $packets[$i].TimestampNanoseconds
        }
    }
}

Describe 'Export-InnerPacket files and switches' {
    BeforeAll {
        $sample = $SampleCapture
        $sampleCount = @(Get-InnerPacket -Path $sample).Count
    }

    It 'has packets to export' {
        $sampleCount | Should -Be $SampleFrameCount
    }

    It 'replaces an existing file by default' {
        $path = Join-Path $TestDrive 'replace.pcapng'
        Set-Content -Path $path -Value 'old'
        Get-InnerPacket -Path $sample | Export-InnerPacket -Path $path
        [System.IO.File]::ReadAllBytes($path)[0..3] | Should -Be @(0x0A, 0x0D, 0x0D, 0x0A)
    }

    It 'refuses to replace with -NoClobber, before reading anything, and leaves the file alone' {
        $path = Join-Path $TestDrive 'keep.pcapng'
        Set-Content -Path $path -Value 'keep me'
        { Get-InnerPacket -Path $sample | Export-InnerPacket -Path $path -NoClobber -ErrorAction Stop } |
            Should -Throw -ErrorId 'CaptureFileExists,MirrorTools.Commands.ExportInnerPacketCommand' -ExpectedMessage '*keep.pcapng*'
        Get-Content -Path $path | Should -Be 'keep me'
    }

    It 'resolves a relative -Path from the PowerShell location' {
        Push-Location $TestDrive
        try {
            Get-InnerPacket -Path $sample | Select-Object -First 2 | Export-InnerPacket -Path 'relative.pcapng'
        }
        finally {
            Pop-Location
        }
        Join-Path $TestDrive 'relative.pcapng' | Should -Exist
    }

    It 'passes every packet on with -PassThru' {
        $passed = @(Get-InnerPacket -Path $sample | Export-InnerPacket -Path (Join-Path $TestDrive 'pass.pcapng') -PassThru)
        $passed.Count | Should -Be $sampleCount
        $passed[0].PSObject.TypeNames[0] | Should -Be 'MirrorTools.InnerPacket'
    }

    It 'writes nothing to the pipeline without -PassThru' {
        Get-InnerPacket -Path $sample | Export-InnerPacket -Path (Join-Path $TestDrive 'quiet.pcapng') | Should -BeNullOrEmpty
    }

    It 'says how many packets it wrote with -Verbose' {
        $path = Join-Path $TestDrive 'verbose.pcapng'
        $verbose = Get-InnerPacket -Path $sample | Export-InnerPacket -Path $path -Verbose 4>&1
        "$verbose" | Should -BeLike "Wrote $sampleCount packets to *verbose.pcapng"
    }

    It 'leaves a complete file when the pipeline stops early' {
        $path = Join-Path $TestDrive 'early.pcapng'
        $first = @(Get-InnerPacket -Path $sample | Export-InnerPacket -Path $path -PassThru | Select-Object -First 3)
        $first.Count | Should -Be 3
        @(Get-TsharkFields $path 'frame.number').Count | Should -BeGreaterOrEqual 3
    }

    It 'reports a folder that does not exist as CaptureFileWriteFailed' {
        $path = Join-Path $TestDrive 'no/such/folder/out.pcapng'
        { Get-InnerPacket -Path $sample | Export-InnerPacket -Path $path -ErrorAction Stop } | Should -Throw -ErrorId 'CaptureFileWriteFailed,MirrorTools.Commands.ExportInnerPacketCommand'
    }

    It 'writes a valid empty file when no packet arrives' {
        $path = Join-Path $TestDrive 'none.pcapng'
        Get-InnerPacket -Path $sample -Vni 1 | Export-InnerPacket -Path $path
        @(Get-TsharkFields $path 'frame.number').Count | Should -Be 0
    }
}
