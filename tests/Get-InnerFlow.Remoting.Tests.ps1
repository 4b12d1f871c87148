#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2.0' }
# The documented fan-out, over real PowerShell remoting over SSH: two capture hosts, each a network
# namespace running its own sshd with PowerShell as its SSH subsystem, each reading the half of the
# AWS capture a load balancer would have sent it (split by the VXLAN outer source port). The local
# Get-InnerFlow merges what both send back; the result must be the flows of the whole capture.
# Needs root, iproute2, openssh-server (sshd, ssh, ssh-keygen) and tshark; fails, saying which, without them.

BeforeAll {
    . (Join-Path $PSScriptRoot 'MirrorTools.TestSupport.ps1')
    Import-Module $ModulePath -Force -ErrorAction Stop
    $aws = Get-PublicCapture 'aws-traffic-mirror-ssh-dns.pcap'

    function Invoke-Native([string] $Command, [string[]] $Arguments) {
        $output = & $Command @Arguments 2>&1
        if ($LASTEXITCODE -ne 0) { throw "$Command $($Arguments -join ' ') failed ($LASTEXITCODE): $output" }
        $output
    }

    # The load balancer's choice of target from the outer source port (the xunit merge test's hash).
    function Get-Target([int] $OuterSourcePort) { [int]((([uint64]$OuterSourcePort * 2654435761) % 4294967296) -shr 31) }

    foreach ($tool in 'ip', 'sshd', 'ssh', 'ssh-keygen', 'tshark') {
        if (-not (Get-Command $tool -ErrorAction Ignore)) { throw "$tool is missing: install iproute2, openssh-server and tshark (.ci/run does)." }
    }
    if ((id -u) -ne '0') { throw 'The SSH fan-out test makes network namespaces: run it as root.' }

    $suffix = -join ((48..57) + (97..122) | Get-Random -Count 6 | ForEach-Object { [char]$_ })
    $work = Join-Path ([IO.Path]::GetTempPath()) "mt-fanout-$suffix"
    New-Item -ItemType Directory -Path $work | Out-Null
    $subnet = Get-Random -Minimum 16 -Maximum 250
    $hosts = foreach ($index in 1, 2) {
        [pscustomobject]@{
            Namespace = "mtfan$index-$suffix"
            HostVeth  = "mtf$index$suffix"
            Address   = "10.$subnet.$index.2"
            Gateway   = "10.$subnet.$index.1"
            Target    = $index - 1
            Sshd      = $null
        }
    }

    # The two halves of the capture, as the two load-balancer targets would have recorded them.
    $frames = Get-InnerPacket -Path $aws | Group-Object { Get-Target $_.OuterSourcePort } -AsHashTable
    foreach ($h in $hosts) {
        $numbers = $frames[$h.Target].FrameNumber -join ', '
        Invoke-Native tshark @('-r', $aws, '-Y', "frame.number in {$numbers}", '-w', (Join-Path $work "half-$($h.Address).pcap"), '-F', 'pcap') | Out-Null
    }

    Invoke-Native ssh-keygen @('-q', '-t', 'ed25519', '-N', '', '-f', (Join-Path $work 'host_key')) | Out-Null
    Invoke-Native ssh-keygen @('-q', '-t', 'ed25519', '-N', '', '-f', (Join-Path $work 'client_key')) | Out-Null
    Copy-Item (Join-Path $work 'client_key.pub') (Join-Path $work 'authorized_keys')
    # The pinned pwsh is a .NET tool: pwsh.dll in $PSHOME, run by dotnet. This process may be that
    # dotnet (dotnet pwsh) or pwsh's own launcher (build.ps1 starts the tests with $PSHOME/pwsh).
    $dotnet = if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { [Environment]::ProcessPath } else { (Get-Command dotnet -CommandType Application -ErrorAction Stop)[0].Source }
    $pwshCommand = "$dotnet $(Join-Path $PSHOME 'pwsh.dll')"
    New-Item -ItemType Directory -Force -Path /run/sshd | Out-Null   # sshd's privilege separation directory

    try {
        foreach ($h in $hosts) {
            Invoke-Native ip @('netns', 'add', $h.Namespace)
            Invoke-Native ip @('link', 'add', $h.HostVeth, 'type', 'veth', 'peer', 'name', 'cap0', 'netns', $h.Namespace)
            Invoke-Native ip @('addr', 'add', "$($h.Gateway)/30", 'dev', $h.HostVeth)
            Invoke-Native ip @('link', 'set', $h.HostVeth, 'up')
            Invoke-Native ip @('-n', $h.Namespace, 'addr', 'add', "$($h.Address)/30", 'dev', 'cap0')
            Invoke-Native ip @('-n', $h.Namespace, 'link', 'set', 'cap0', 'up')
            Invoke-Native ip @('-n', $h.Namespace, 'link', 'set', 'lo', 'up')
            $config = Join-Path $work "sshd-$($h.Address).conf"
            @(
                "ListenAddress $($h.Address)"
                "HostKey $(Join-Path $work 'host_key')"
                "PidFile $(Join-Path $work "sshd-$($h.Address).pid")"
                "AuthorizedKeysFile $(Join-Path $work 'authorized_keys')"
                'PermitRootLogin prohibit-password'
                'PasswordAuthentication no'
                'KbdInteractiveAuthentication no'
                'UsePAM no'
                'StrictModes no'
                "Subsystem powershell $pwshCommand -sshs -NoLogo"
            ) | Set-Content -Path $config
            $log = Join-Path $work "sshd-$($h.Address).log"
            $h.Sshd = Start-Process -FilePath ip -ArgumentList 'netns', 'exec', $h.Namespace, (Get-Command sshd).Source, '-D', '-e', '-f', $config `
                -RedirectStandardError $log -PassThru
        }
        foreach ($h in $hosts) {
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (-not (Test-Connection -TargetName $h.Address -TcpPort 22 -TimeoutSeconds 1 -Quiet)) {
                if ($h.Sshd.HasExited -or [DateTime]::UtcNow -gt $deadline) {
                    throw "sshd in $($h.Namespace) did not start listening on $($h.Address):22: $(Get-Content -Raw (Join-Path $work "sshd-$($h.Address).log"))"
                }
                Start-Sleep -Milliseconds 100
            }
        }
    }
    catch {
        $setupFailure = $_
    }

    # Not $hosts.Address: an array's own Address method would answer.
    $addresses = $hosts | ForEach-Object Address
    $sshOptions = @{
        HostName    = $addresses
        UserName    = 'root'
        KeyFilePath = Join-Path $work 'client_key'
        Options     = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'ERROR' }
    }
    $remoteFlows = {
        Import-Module $using:ModulePath -ErrorAction Stop
        # Each capture host reads its own half: the one named after the address this session came in on.
        $address = ($env:SSH_CONNECTION -split ' ')[2]
        Get-InnerFlow -Path (Join-Path $using:work "half-$address.pcap")
    }
}

AfterAll {
    foreach ($h in $hosts) {
        if ($h.Sshd -and -not $h.Sshd.HasExited) { Stop-Process -Id $h.Sshd.Id -Force -ErrorAction Ignore }
        $pidFile = Join-Path $work "sshd-$($h.Address).pid"
        if (Test-Path $pidFile) { Stop-Process -Id ([int](Get-Content $pidFile)) -Force -ErrorAction Ignore }
        # Deleting the namespace deletes its veth end, and with it the peer.
        ip netns delete $h.Namespace 2>$null
    }
    if ($work -and (Test-Path $work)) { Remove-Item -Recurse -Force $work }
}

Describe 'Invoke-Command -HostName cap1, cap2 { Get-InnerFlow } | Get-InnerFlow' {
    BeforeAll {
        if ($setupFailure) { throw "Setting up the two SSH capture hosts failed: $setupFailure" }
        $deserialized = Invoke-Command @sshOptions -ScriptBlock $remoteFlows -ErrorAction Stop
        $merged = $deserialized | Get-InnerFlow
    }

    It 'splits the capture so that conversations really reach both hosts' {
        $byHost = $deserialized | Group-Object PSComputerName -AsHashTable
        $byHost.Keys | Sort-Object | Should -Be ($addresses | Sort-Object)
        $key = { "$($_.Vni) $($_.Protocol) " + ((("$($_.SourceAddress):$($_.SourcePort)"), ("$($_.DestinationAddress):$($_.DestinationPort)") | Sort-Object) -join ' ') }
        $onHost1 = $byHost[$addresses[0]] | ForEach-Object $key
        $onHost2 = $byHost[$addresses[1]] | ForEach-Object $key
        @($onHost1 | Where-Object { $_ -in $onHost2 }).Count | Should -BeGreaterThan 0
    }

    It 'brings back deserialized InnerFlow objects that show in the InnerFlow table' {
        $deserialized[0].PSObject.TypeNames[0] | Should -Be 'Deserialized.MirrorTools.InnerFlow'
        $table = $deserialized | Format-Table | Out-String -Width 120
        $table | Should -Match '(?m)^\s+Vni Proto\s+Source Destination\s+->\s+<-\s+Bytes'
        $table | Should -Match '18\.196\.145\.224:37180 172\.31\.0\.238:22'
    }

    It 'merges them into the flows of the whole capture: packets and bytes each way, handshakes' {
        $whole = Get-InnerFlow -Path $aws | Sort-Object FirstSeenNanoseconds
        $merged.Count | Should -Be $whole.Count
        $properties = 'Vni', 'Protocol', 'SourcePort', 'DestinationPort', 'FirstSeenNanoseconds', 'LastSeenNanoseconds',
            'ForwardPackets', 'ForwardBytes', 'ReversePackets', 'ReverseBytes', 'SynSeen', 'FinSeen', 'Retransmissions',
            'HandshakeSeen', 'HandshakeRoundTripTime', 'SynSeenNanoseconds', 'SynAckSeenNanoseconds', 'HandshakeAckSeenNanoseconds'
        foreach ($i in 0..($whole.Count - 1)) {
            foreach ($property in $properties) {
                $merged[$i].$property | Should -Be $whole[$i].$property -Because "$property of $($whole[$i])"
            }
            "$($merged[$i].SourceAddress)" | Should -Be "$($whole[$i].SourceAddress)"
        }
    }

    It 'names both hosts in the Source of a conversation they shared' {
        $shared = $merged | Where-Object Source -Match ', '
        $shared | Should -Not -BeNullOrEmpty
        $shared[0].Source | Should -Match "^10\.$subnet\.\d\.2: .+half-.+\.pcap, 10\.$subnet\.\d\.2: "
    }
}
