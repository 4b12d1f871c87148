#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2.0' }
# Get-InnerPacket as a user calls it. Paths, pipeline and errors run on the repository's sample
# capture (tests/data); decodes are compared with tshark's in tests/captures/expected, never with
# this module.

BeforeAll {
    . (Join-Path $PSScriptRoot 'MirrorTools.TestSupport.ps1')
    Import-Module $ModulePath -Force -ErrorAction Stop

    $aws = Get-PublicCapture 'aws-traffic-mirror-ssh-dns.pcap'
    $awsExpected = @(Get-ExpectedDecode 'aws-traffic-mirror-ssh-dns.pcap')
    $twoVnis = Get-PublicCapture 'zeek-vxlan-two-vnis-same-inner-flow.pcap'
    $twoVnisExpected = @(Get-ExpectedDecode 'zeek-vxlan-two-vnis-same-inner-flow.pcap')

    # Classic pcap records (little-endian, microseconds) as CapturedFrame objects, the way
    # Start-VxlanCapture hands them on. The type is reached through the cmdlet's parameter: it lives
    # in the module's own AssemblyLoadContext, where [MirrorTools.CapturedFrame] does not resolve.
    function Read-PcapFrames([string] $Path) {
        $bytes = [System.IO.File]::ReadAllBytes($Path)
        if ([System.BitConverter]::ToString($bytes, 0, 4) -ne 'D4-C3-B2-A1') { throw "$Path is not a little-endian microsecond pcap." }
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
            # (timestampNanoseconds, linkType, data, originalLength, interfaceName, source, frameNumber)
            $constructor.Invoke([object[]]@($nanoseconds, $linkType, $data, $original, 'eth0', 'eth0', [long]$number))
            $offset += 16 + $captured
        }
    }
}

AfterAll {
    Remove-Module MirrorTools -ErrorAction Ignore
}

Describe 'Get-InnerPacket -Path' {
    It 'decodes every frame of the sample capture, all in VNI 4242, without a problem' {
        $packets = @(Get-InnerPacket -Path $SampleCapture -ErrorVariable problems)
        $packets.Count | Should -Be $SampleFrameCount
        $packets.Vni | Sort-Object -Unique | Should -Be $SampleVni
        $packets.Status | Sort-Object -Unique | Should -Be 'Ok'
        $problems | Should -BeNullOrEmpty
    }

    It 'returns MirrorTools.InnerPacket objects, as its OutputType says' {
        # By name: the type lives in the module's AssemblyLoadContext, so a type literal does not resolve.
        (Get-InnerPacket -Path $SampleCapture | Select-Object -First 1).PSObject.TypeNames[0] | Should -Be 'MirrorTools.InnerPacket'
        (Get-Command Get-InnerPacket).OutputType.Name | Should -Be 'MirrorTools.InnerPacket', 'MirrorTools.CaptureStatistics'
        # The summary only with a live capture's -Statistics; reading files gives packets alone.
        (Get-Command Get-InnerPacket).ParameterSets.Where({ $_.Name -eq 'Interface' }).Count | Should -Be 1
    }

    It 'expands wildcards' {
        Copy-Item $SampleCapture (Join-Path $TestDrive 'one.pcap')
        Copy-Item $SampleCapture (Join-Path $TestDrive 'two.pcap')
        @(Get-InnerPacket -Path (Join-Path $TestDrive '*.pcap')).Count | Should -Be (2 * $SampleFrameCount)
    }

    It 'resolves relative paths from the PowerShell location, not the process directory' {
        Push-Location (Split-Path $SampleCapture)
        try {
            @(Get-InnerPacket -Path (Split-Path $SampleCapture -Leaf)).Count | Should -Be $SampleFrameCount
        }
        finally {
            Pop-Location
        }
    }

    It 'reports a missing file as CaptureFileNotFound naming it' {
        { Get-InnerPacket -Path (Join-Path $TestDrive 'missing.pcap') -ErrorAction Stop } |
            Should -Throw -ErrorId 'CaptureFileNotFound,MirrorTools.Commands.GetInnerPacketCommand' -ExpectedMessage '*missing.pcap*'
    }

    It 'reports a missing relative path as looked for from the PowerShell location, not the process directory' {
        $elsewhere = Join-Path $TestDrive ([guid]::NewGuid())
        $null = New-Item -ItemType Directory -Path $elsewhere
        Push-Location $elsewhere
        try {
            $err = $null
            Get-InnerPacket -Path 'missing.pcap' -ErrorVariable err -ErrorAction SilentlyContinue
        }
        finally {
            Pop-Location
        }
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CaptureFileNotFound,*'
        $err[0].Exception.Message | Should -BeLike "*'$(Join-Path $elsewhere 'missing.pcap')'*PowerShell location '$elsewhere'*"
        $err[0].Exception.Message | Should -Not -BeLike "*$([Environment]::CurrentDirectory)'*"
    }

    It 'reports a wildcard that matches nothing, and still reads the other paths' {
        $packets = @(Get-InnerPacket -Path (Join-Path $TestDrive 'nothing*.pcap'), $SampleCapture -ErrorVariable problems -ErrorAction SilentlyContinue)
        $packets.Count | Should -Be $SampleFrameCount
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'CaptureFileNotFound,*'
        $problems[0].TargetObject | Should -BeLike '*nothing`*.pcap'
    }

    It 'reports a file that is not a capture as CaptureFileUnrecognized' {
        Set-Content -Path (Join-Path $TestDrive 'notes.txt') -Value 'not a capture'
        { Get-InnerPacket -Path (Join-Path $TestDrive 'notes.txt') -ErrorAction Stop } | Should -Throw -ErrorId 'CaptureFileUnrecognized,MirrorTools.Commands.GetInnerPacketCommand'
    }

    It 'reports an empty file as CaptureFileEmpty' {
        New-Item -ItemType File -Path (Join-Path $TestDrive 'empty.pcap') -Force | Out-Null
        { Get-InnerPacket -Path (Join-Path $TestDrive 'empty.pcap') -ErrorAction Stop } | Should -Throw -ErrorId 'CaptureFileEmpty,MirrorTools.Commands.GetInnerPacketCommand'
    }

    It 'yields every whole packet of a file cut mid-record, then one error' {
        $bytes = [System.IO.File]::ReadAllBytes($SampleCapture)
        $cut = Join-Path $TestDrive 'cut.pcap'
        [System.IO.File]::WriteAllBytes($cut, $bytes[0..($bytes.Length - 11)])
        $packets = @(Get-InnerPacket -Path $cut -ErrorVariable problems -ErrorAction SilentlyContinue)
        $packets.Count | Should -Be ($SampleFrameCount - 1)
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'CaptureFileTruncated,*'
    }
}

Describe 'Get-InnerPacket -Path on a FIFO' -Skip:(-not $IsLinux) {
    It 'reads what tcpdump -w writes into a FIFO, waiting for tcpdump to open it (mkfifo p; tcpdump -w p &)' {
        $fifo = Join-Path $TestDrive 'live.fifo'
        & mkfifo $fifo
        # tcpdump starts writing a second after the read began: the read waits for it, then streams.
        $writer = Start-ThreadJob { Start-Sleep -Seconds 1; & tcpdump -r $using:SampleCapture -w $using:fifo 2>&1 }
        $packets = @(Get-InnerPacket -Path $fifo)
        Receive-Job $writer -Wait -AutoRemoveJob | Out-Null

        $packets | Should -HaveCount $SampleFrameCount
        $packets.Vni | Sort-Object -Unique | Should -Be $SampleVni
    }

    It 'reads /dev/stdin fed by tcpdump -w - (tcpdump -r -)' {
        $pwsh = Join-Path $PSHOME 'pwsh'
        $count = & bash -c "tcpdump -r '$SampleCapture' -w - 2>/dev/null | '$pwsh' -NoProfile -c `"Import-Module '$ModulePath'; @(Get-InnerPacket -Path /dev/stdin).Count`""
        $count | Should -Be $SampleFrameCount
    }
}

Describe 'Get-InnerPacket from the pipeline' {
    It 'reads the files Get-ChildItem finds (bound to -LiteralPath by PSPath)' {
        @(Get-ChildItem -Path $SampleCapture | Get-InnerPacket).Count | Should -Be $SampleFrameCount
    }

    It 'reads names with wildcard characters as written with -LiteralPath' {
        $odd = Join-Path $TestDrive 'mirror[1].pcap'
        Copy-Item -LiteralPath $SampleCapture -Destination $odd
        @(Get-InnerPacket -LiteralPath $odd).Count | Should -Be $SampleFrameCount
        @(Get-Item -LiteralPath $odd | Get-InnerPacket).Count | Should -Be $SampleFrameCount
    }

    It 'takes path strings by value' {
        @($SampleCapture | Get-InnerPacket).Count | Should -Be $SampleFrameCount
    }

    It 'decodes CapturedFrame objects, as Start-VxlanCapture sends them' {
        $packets = @(Read-PcapFrames $SampleCapture | Get-InnerPacket)
        $packets.Count | Should -Be $SampleFrameCount
        $packets[0].Source | Should -Be 'eth0'
        $packets[-1].Vni | Should -Be $SampleVni
        $packets[-1].FrameNumber | Should -Be $SampleFrameCount
    }

    It 'stops reading when downstream has enough' {
        @(Get-InnerPacket -Path $SampleCapture | Select-Object -First 3).Count | Should -Be 3
    }
}

Describe 'Get-InnerPacket filters on the sample capture' {
    # Counts from tshark on tests/data/sample-mirror.pcap, the display filter beside each.
    It '-Protocol keeps one protocol' {
        @(Get-InnerPacket -Path $SampleCapture -Protocol Icmp).Count | Should -Be 6           # icmp
        @(Get-InnerPacket -Path $SampleCapture -Protocol Tcp -Port 80).Count | Should -Be 10  # tcp.port==80
    }

    It '-DestinationPort and -Port tell one end from either end' {
        @(Get-InnerPacket -Path $SampleCapture -Protocol Udp -DestinationPort 53).Count | Should -Be 2  # inner udp.dstport==53
        @(Get-InnerPacket -Path $SampleCapture -Port 53).Count | Should -Be 4                           # udp.port==53
    }

    It '-SourceAddress takes an address and -Address a CIDR block at either end' {
        @(Get-InnerPacket -Path $SampleCapture -SourceAddress 10.203.1.1).Count | Should -Be 11   # ip.src==10.203.1.1
        @(Get-InnerPacket -Path $SampleCapture -Address 10.203.1.0/24).Count | Should -Be 20      # ip.addr==10.203.1.0/24
    }

    It '-Vni keeps only that tunnel' {
        @(Get-InnerPacket -Path $SampleCapture -Vni $SampleVni).Count | Should -Be $SampleFrameCount
        @(Get-InnerPacket -Path $SampleCapture -Vni 1).Count | Should -Be 0
    }

    It '-Filter takes tcpdump syntax and runs on the inner frame' {
        @(Get-InnerPacket -Path $SampleCapture -Filter 'udp dst port 53').Count | Should -Be 2
        # The outer UDP port 4789 is not what the filter sees.
        @(Get-InnerPacket -Path $SampleCapture -Filter 'udp port 4789').Count | Should -Be 0
    }
}

Describe 'Get-InnerPacket output' {
    It 'shows a tcpdump-like table by default: time, VNI, endpoints, protocol, tcpdump''s summary' {
        # The sample's first TCP packet opens the HTTP exchange: a SYN to port 80.
        $packet = Get-InnerPacket -Path $SampleCapture -Protocol Tcp | Select-Object -First 1
        $table = $packet | Out-String -Width 200
        $table | Should -Match 'Time\s+Vni\s+Source\s+Destination\s+Proto\s+Info'
        $row = '\d\d:\d\d:\d\d\.\d{{6}}\s+{0}\s+{1}:{2} {3}:80\s+TCP\s+Flags \[S\], seq .*, length 0' -f $SampleVni,
            [regex]::Escape("$($packet.SourceAddress)"), $packet.SourcePort, [regex]::Escape("$($packet.DestinationAddress)")
        $table | Should -Match $row
    }

    It 'keeps time, VNI, endpoints, protocol and the start of Info in an 80-column console' {
        $packet = Get-InnerPacket -Path $SampleCapture -Protocol Tcp | Select-Object -First 1
        $lines = ($packet | Out-String -Width 80) -split "`n" | Where-Object { $_.Trim() }
        $lines[0] | Should -Match 'Time\s+Vni\s+Source\s+Destination\s+Proto\s+Info'
        $lines[2] | Should -Match ('^\d\d:\d\d:\d\d\.\d{{6}}\s+{0}\s+\S+:\d+ \S+:80\s+TCP\s+Flags' -f $SampleVni)
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
    }
}

Describe 'Get-InnerPacket parameter checks' {
    It 'rejects bad tcpdump syntax before reading, quoting the expression' {
        { Get-InnerPacket -Path $SampleCapture -Filter 'tcp prot 80' } | Should -Throw -ErrorId 'InvalidFilterExpression,MirrorTools.Commands.GetInnerPacketCommand' -ExpectedMessage "*tcp prot 80*"
    }

    It 'rejects a VNI out of range' {
        { Get-InnerPacket -Path $SampleCapture -Vni 16777216 } | Should -Throw -ErrorId 'InvalidVni,MirrorTools.Commands.GetInnerPacketCommand'
    }

    It 'rejects an address that is not one' {
        { Get-InnerPacket -Path $SampleCapture -Address 10.0.0.300 } | Should -Throw -ErrorId 'InvalidAddressFilter,MirrorTools.Commands.GetInnerPacketCommand'
    }
}

Describe 'Get-InnerPacket against tshark on the public captures' {
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

    It '-SourceAddress takes CIDR blocks' {
        $packets = @(Get-InnerPacket -Path $aws -SourceAddress 172.31.0.0/16)
        $packets.Count | Should -Be @($awsExpected | Where-Object 'inner.ip.src' -Like '172.31.*').Count
    }

    It '-Filter takes tcpdump syntax and runs on the inner frame' {
        $packets = @(Get-InnerPacket -Path $aws -Filter 'udp dst port 53')
        $packets.Count | Should -Be @($awsExpected | Where-Object { $_.'inner.ip.proto' -eq '17' -and $_.'inner.l4.dstport' -eq '53' }).Count
    }

    It '-VxlanPort finds tunnels on the Linux port 8472' {
        $linux = Get-PublicCapture 'tcpdump-vxlan-port-8472.pcap'
        @(Get-InnerPacket -Path $linux).Count | Should -Be 0
        @(Get-InnerPacket -Path $linux -VxlanPort 8472).Count | Should -Be @(Get-ExpectedDecode 'tcpdump-vxlan-port-8472.pcap').Count
    }

    It 'shows a tcpdump-like table by default' {
        $first = $awsExpected | Where-Object 'inner.l4.dstport' -EQ '22' | Select-Object -First 1
        $table = Get-InnerPacket -Path $aws -DestinationPort 22 | Select-Object -First 1 | Out-String -Width 200
        $table | Should -Match 'Time\s+Vni\s+Source\s+Destination\s+Proto\s+Info'
        # The first packet to port 22 is addressed to the mirrored instance (the outer source): In.
        $row = '\d\d:\d\d:\d\d\.\d{{6}}\s+{0}\s+{1}:{2} {3}:{4}\s+TCP\s+In  Flags \[' -f $first.'vxlan.vni',
            [regex]::Escape($first.'inner.ip.src'), $first.'inner.l4.srcport', [regex]::Escape($first.'inner.ip.dst'), $first.'inner.l4.dstport'
        $table | Should -Match $row
    }
}

Describe 'InnerPacket.Packet (PacketDotNet)' {
    It 'gives the TCP options of a SYN, as tshark reads them' {
        # tshark: the first SYN (frame 3) carries MSS 1460 and window scale 7.
        $syn = Get-InnerPacket -Path $aws -Protocol Tcp | Where-Object FrameNumber -EQ 3
        $tcp = $syn.Packet.Extract[PacketDotNet.TcpPacket]()
        $tcp.DestinationPort | Should -Be $syn.DestinationPort
        ($tcp.OptionsCollection | Where-Object Kind -EQ MaximumSegmentSize).Value | Should -Be 1460
        ($tcp.OptionsCollection | Where-Object Kind -EQ WindowScaleFactor).ScaleFactor | Should -Be 7
        $tcp.Options.Length | Should -Be 20
    }

    It 'is left out of Export-Csv (a hidden property), and exported when named' {
        $packets = @(Get-InnerPacket -Path $aws | Select-Object -First 5)
        $csv = Join-Path $TestDrive 'packets.csv'
        $packets | Export-Csv -Path $csv
        (Import-Csv $csv)[0].PSObject.Properties.Name | Should -Not -Contain 'Packet'
        $packets | Select-Object Vni, Packet | Export-Csv -Path $csv
        (Import-Csv $csv)[0].Packet | Should -Match '^\[EthernetPacket: SourceHardwareAddress='
    }
}
