#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Get-InnerPacket as a user calls it, on the team's public captures; expected values come from
# tshark's decode in shared/captures/expected, never from this module.

BeforeAll {
    . (Join-Path $PSScriptRoot 'MirrorTools.TestSupport.ps1')
    Import-Module $ModulePath -Force -ErrorAction Stop

    $aws = Get-SharedCapture 'aws-traffic-mirror-ssh-dns.pcap'
    $awsExpected = @(Get-ExpectedDecode 'aws-traffic-mirror-ssh-dns.pcap')
    $twoVnis = Get-SharedCapture 'zeek-vxlan-two-vnis-same-inner-flow.pcap'
    $twoVnisExpected = @(Get-ExpectedDecode 'zeek-vxlan-two-vnis-same-inner-flow.pcap')

    # Classic pcap records as CapturedFrame objects, the way Start-VxlanCapture hands them on.
    function Read-PcapFrames([string] $Path) {
        $bytes = [System.IO.File]::ReadAllBytes($Path)
        $frameType = (Get-Command Get-InnerPacket).Parameters['InputObject'].ParameterType.GetElementType()
        $constructor = $frameType.GetConstructors([System.Reflection.BindingFlags]'NonPublic, Instance')[0]
        $linkType = [Enum]::ToObject($constructor.GetParameters()[1].ParameterType, [System.BitConverter]::ToUInt32($bytes, 20))
        $offset = 24
        $number = 0
        while ($offset + 16 -le $bytes.Length) {
            $seconds = [System.BitConverter]::ToUInt32($bytes, $offset)
            $micros = [System.BitConverter]::ToUInt32($bytes, $offset + 4)
            $captured = [System.BitConverter]::ToInt32($bytes, $offset + 8)
            $original = [System.BitConverter]::ToInt32($bytes, $offset + 12)
            $data = [byte[]]::new($captured)
            [System.Array]::Copy($bytes, $offset + 16, $data, 0, $captured)
            $number++
            $nanoseconds = [long]$seconds * 1000000000 + [long]$micros * 1000
            $constructor.Invoke([object[]]@($nanoseconds, $linkType, $data, $original, 'eth0', 'eth0', [long]$number))
            $offset += 16 + $captured
        }
    }
}

AfterAll {
    Remove-Module MirrorTools -ErrorAction Ignore
}

Describe 'Get-InnerPacket -Path' {
    It 'finds every VXLAN packet tshark finds, with its VNI and inner endpoints' {
        $packets = @(Get-InnerPacket -Path $aws)
        $packets.Count | Should -Be $awsExpected.Count
        for ($i = 0; $i -lt $packets.Count; $i++) {
            $packets[$i].FrameNumber | Should -Be ([long]$awsExpected[$i].'frame.number')
            $packets[$i].Vni | Should -Be ([int]$awsExpected[$i].'vxlan.vni')
            "$($packets[$i].SourceAddress)" | Should -Be $awsExpected[$i].'inner.ip.src'
            "$($packets[$i].DestinationAddress)" | Should -Be $awsExpected[$i].'inner.ip.dst'
            "$($packets[$i].DestinationPort)" | Should -Be $awsExpected[$i].'inner.l4.dstport'
        }
    }

    It 'returns MirrorTools.InnerPacket objects, as its OutputType says' {
        (Get-InnerPacket -Path $aws | Select-Object -First 1).PSObject.TypeNames[0] | Should -Be 'MirrorTools.InnerPacket'
        (Get-Command Get-InnerPacket).OutputType.Name | Should -Be 'MirrorTools.InnerPacket'
    }

    It 'expands wildcards' {
        Copy-Item $aws (Join-Path $TestDrive 'one.pcap')
        Copy-Item $twoVnis (Join-Path $TestDrive 'two.pcap')
        @(Get-InnerPacket -Path (Join-Path $TestDrive '*.pcap')).Count | Should -Be ($awsExpected.Count + $twoVnisExpected.Count)
    }

    It 'resolves relative paths from the PowerShell location, not the process directory' {
        Push-Location (Split-Path $aws)
        try {
            @(Get-InnerPacket -Path (Split-Path $aws -Leaf)).Count | Should -Be $awsExpected.Count
        }
        finally {
            Pop-Location
        }
    }

    It 'reports a missing file as CaptureFileNotFound naming it' {
        { Get-InnerPacket -Path (Join-Path $TestDrive 'missing.pcap') -ErrorAction Stop } |
            Should -Throw -ErrorId 'CaptureFileNotFound' -ExpectedMessage '*missing.pcap*'
    }

    It 'reports a wildcard that matches nothing, and still reads the other paths' {
        $packets = @(Get-InnerPacket -Path (Join-Path $TestDrive 'nothing*.pcap'), $aws -ErrorVariable problems -ErrorAction SilentlyContinue)
        $packets.Count | Should -Be $awsExpected.Count
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'CaptureFileNotFound,*'
        $problems[0].TargetObject | Should -BeLike '*nothing`*.pcap'
    }

    It 'reports a file that is not a capture as CaptureFileUnrecognized' {
        Set-Content -Path (Join-Path $TestDrive 'notes.txt') -Value 'not a capture'
        { Get-InnerPacket -Path (Join-Path $TestDrive 'notes.txt') -ErrorAction Stop } | Should -Throw -ErrorId 'CaptureFileUnrecognized'
    }

    It 'reports an empty file as CaptureFileEmpty' {
        New-Item -ItemType File -Path (Join-Path $TestDrive 'empty.pcap') -Force | Out-Null
        { Get-InnerPacket -Path (Join-Path $TestDrive 'empty.pcap') -ErrorAction Stop } | Should -Throw -ErrorId 'CaptureFileEmpty'
    }

    It 'yields every whole packet of a file cut mid-record, then one error' {
        $bytes = [System.IO.File]::ReadAllBytes($aws)
        $cut = Join-Path $TestDrive 'cut.pcap'
        [System.IO.File]::WriteAllBytes($cut, $bytes[0..($bytes.Length - 11)])
        $packets = @(Get-InnerPacket -Path $cut -ErrorVariable problems -ErrorAction SilentlyContinue)
        $packets.Count | Should -Be ($awsExpected.Count - 1)
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'CaptureFileTruncated,*'
    }
}

Describe 'Get-InnerPacket from the pipeline' {
    It 'reads the files Get-ChildItem finds (bound to -LiteralPath by PSPath)' {
        @(Get-ChildItem -Path $aws | Get-InnerPacket).Count | Should -Be $awsExpected.Count
    }

    It 'reads names with wildcard characters as written with -LiteralPath' {
        $odd = Join-Path $TestDrive 'mirror[1].pcap'
        Copy-Item -LiteralPath $aws -Destination $odd
        @(Get-InnerPacket -LiteralPath $odd).Count | Should -Be $awsExpected.Count
        @(Get-Item -LiteralPath $odd | Get-InnerPacket).Count | Should -Be $awsExpected.Count
    }

    It 'takes path strings by value' {
        @($aws | Get-InnerPacket).Count | Should -Be $awsExpected.Count
    }

    It 'decodes CapturedFrame objects, as Start-VxlanCapture sends them' {
        $packets = @(Read-PcapFrames $aws | Get-InnerPacket)
        $packets.Count | Should -Be $awsExpected.Count
        $packets[0].Source | Should -Be 'eth0'
        $packets[-1].Vni | Should -Be ([int]$awsExpected[-1].'vxlan.vni')
    }

    It 'stops reading when downstream has enough' {
        @(Get-InnerPacket -Path $aws | Select-Object -First 3).Count | Should -Be 3
    }
}

Describe 'Get-InnerPacket filters' {
    It '-Vni keeps one tunnel of two' {
        $packets = @(Get-InnerPacket -Path $twoVnis -Vni 4711)
        $packets.Count | Should -Be @($twoVnisExpected | Where-Object 'vxlan.vni' -EQ '4711').Count
        $packets.Vni | Sort-Object -Unique | Should -Be 4711
    }

    It '-Protocol and -DestinationPort combine' {
        $packets = @(Get-InnerPacket -Path $aws -Protocol Udp -DestinationPort 53)
        $packets.Count | Should -Be @($awsExpected | Where-Object { $_.'inner.ip.proto' -eq '17' -and $_.'inner.l4.dstport' -eq '53' }).Count
    }

    It '-Port matches either end' {
        $packets = @(Get-InnerPacket -Path $aws -Port 22)
        $packets.Count | Should -Be @($awsExpected | Where-Object { $_.'inner.l4.srcport' -eq '22' -or $_.'inner.l4.dstport' -eq '22' }).Count
    }

    It '-Address takes CIDR blocks' {
        $packets = @(Get-InnerPacket -Path $aws -SourceAddress 172.31.0.0/16)
        $packets.Count | Should -Be @($awsExpected | Where-Object 'inner.ip.src' -Like '172.31.*').Count
    }

    It '-Filter takes tcpdump syntax and runs on the inner frame' {
        $packets = @(Get-InnerPacket -Path $aws -Filter 'udp dst port 53')
        $packets.Count | Should -Be @($awsExpected | Where-Object { $_.'inner.ip.proto' -eq '17' -and $_.'inner.l4.dstport' -eq '53' }).Count
    }

    It '-VxlanPort finds tunnels on the Linux port 8472' {
        $linux = Get-SharedCapture 'tcpdump-vxlan-port-8472.pcap'
        @(Get-InnerPacket -Path $linux).Count | Should -Be 0
        @(Get-InnerPacket -Path $linux -VxlanPort 8472).Count | Should -Be @(Get-ExpectedDecode 'tcpdump-vxlan-port-8472.pcap').Count
    }

    It 'rejects bad tcpdump syntax before reading, quoting the expression' {
        { Get-InnerPacket -Path $aws -Filter 'tcp prot 80' } | Should -Throw -ErrorId 'InvalidFilterExpression' -ExpectedMessage "*tcp prot 80*"
    }

    It 'rejects a VNI out of range' {
        { Get-InnerPacket -Path $aws -Vni 16777216 } | Should -Throw -ErrorId 'InvalidVni'
    }

    It 'rejects an address that is not one' {
        { Get-InnerPacket -Path $aws -Address 10.0.0.300 } | Should -Throw -ErrorId 'InvalidAddressFilter'
    }
}

Describe 'Get-InnerPacket output' {
    It 'shows a tcpdump-like table by default' {
        $first = $awsExpected | Where-Object 'inner.l4.dstport' -EQ '22' | Select-Object -First 1
        $table = Get-InnerPacket -Path $aws -DestinationPort 22 | Select-Object -First 1 | Out-String -Width 200
        $table | Should -Match 'Time\s+Vni\s+Source\s+Destination\s+Protocol\s+Length\s+Info'
        $row = '\d\d:\d\d:\d\d\.\d{{6}}\s+{0}\s+{1}:{2} {3}:{4}\s+Tcp\s+\d+ Flags \[' -f $first.'vxlan.vni',
            [regex]::Escape($first.'inner.ip.src'), $first.'inner.l4.srcport', [regex]::Escape($first.'inner.ip.dst'), $first.'inner.l4.dstport'
        $table | Should -Match $row
    }
}
