# Dot-sourced by the module's Pester tests, in BeforeDiscovery (for -Skip conditions) and in
# BeforeAll (for the tests): where the built module, the test captures and the optional tools are.

$RepositoryRoot = Split-Path $PSScriptRoot -Parent

# The module as build.ps1 (or `dotnet publish src/MirrorTools -c Release`) lays it out.
$ModulePath = Join-Path $RepositoryRoot 'out/MirrorTools'

$buildProps = [xml](Get-Content -Raw (Join-Path $RepositoryRoot 'Directory.Build.props'))
$ProjectVersion = $buildProps.SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()

# The repository's own sample (tests/data/README.md): 28 mirrored frames, all VNI 4242. Always present.
$SampleCapture = Join-Path $PSScriptRoot 'data/sample-mirror.pcap'
$SampleFrameCount = 28
$SampleVni = 4242

# The public VXLAN captures kept in the repository (tests/captures, licences in its SOURCES.md),
# with tshark's decode of each in expected/.
$PublicCaptureFolder = Join-Path $PSScriptRoot 'captures'

# The rows of expected/<capture>.tsv as objects (one per VXLAN packet, tshark's field names).
function Get-ExpectedDecode([string] $Capture) {
    Import-Csv -Delimiter "`t" -Path (Join-Path $PublicCaptureFolder "expected/$Capture.tsv")
}

function Get-PublicCapture([string] $Name) { Join-Path $PublicCaptureFolder $Name }

# The fake cloud endpoints live in the xunit assembly (net10.0), built by `dotnet test` (the Test
# task of build.ps1 runs it first). Throws, naming what to do, when it is not built or when this
# PowerShell runs on an older .NET (7.4/7.5 run on .NET 8/9) that cannot load it.
function Get-FakeCloudAssembly {
    if ([Environment]::Version.Major -lt 10) {
        throw "The fake cloud endpoints need PowerShell 7.6 (.NET 10); this is $($PSVersionTable.PSVersion): run the tests with 'dotnet pwsh'."
    }
    $assembly = Get-ChildItem (Join-Path $PSScriptRoot 'MirrorTools.Core.Tests/bin') -Recurse -Filter MirrorTools.Core.Tests.dll -ErrorAction Ignore |
        Sort-Object LastWriteTime -Descending | Select-Object -First 1 -ExpandProperty FullName
    if (-not $assembly) { throw "MirrorTools.Core.Tests.dll is not built: run 'dotnet pwsh ./build.ps1 -Task Test'." }
    $assembly
}

# Each record's VXLAN header and inner frame of a classic Ethernet/IPv4 pcap: what a mirror
# target's UDP socket receives.
function Read-VxlanPayloads([string] $Path) {
    $bytes = [System.IO.File]::ReadAllBytes($Path)
    $offset = 24
    while ($offset + 16 -le $bytes.Length) {
        $captured = [System.BitConverter]::ToInt32($bytes, $offset + 8)
        $outer = 14 + 20 + 8
        , [byte[]]$bytes[($offset + 16 + $outer)..($offset + 16 + $captured - 1)]
        $offset += 16 + $captured
    }
}

# A thread job that sends the payloads to a loopback port every half second for 30 s: a mirror
# for Test-MirrorPrerequisite -Listen -Listener Socket.
function Start-Mirror([int] $Port, [object[]] $Payloads) {
    Start-ThreadJob -ArgumentList $Port, $Payloads -ScriptBlock {
        param($Port, $Payloads)
        $udp = [System.Net.Sockets.UdpClient]::new()
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while ([DateTime]::UtcNow -lt $deadline) {
            foreach ($payload in $Payloads) { [void]$udp.Send([byte[]]$payload, $payload.Length, '127.0.0.1', $Port) }
            Start-Sleep -Milliseconds 500
        }
    }
}
