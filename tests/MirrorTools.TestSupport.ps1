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

# The team's public VXLAN captures with tshark's decode in expected/: $env:MIRRORTOOLS_SHARED_CAPTURES,
# or shared/captures beside the repository or beside a folder above it (worktrees sit deeper).
# Null when there is none: users' clones do not have it, so the tests that need it are skipped.
function Find-SharedCaptureFolder {
    if ($env:MIRRORTOOLS_SHARED_CAPTURES) {
        if (Test-Path (Join-Path $env:MIRRORTOOLS_SHARED_CAPTURES 'expected')) { return $env:MIRRORTOOLS_SHARED_CAPTURES }
        return $null
    }
    for ($dir = Get-Item $RepositoryRoot; $dir; $dir = $dir.Parent) {
        $candidate = Join-Path $dir.FullName 'shared/captures'
        if (Test-Path (Join-Path $candidate 'expected')) { return $candidate }
    }
    $null
}

function Get-SharedCaptureFolder {
    $folder = Find-SharedCaptureFolder
    if (-not $folder) { throw 'No shared/captures folder above the repository: set $env:MIRRORTOOLS_SHARED_CAPTURES.' }
    $folder
}

# The rows of expected/<capture>.tsv as objects (one per VXLAN packet, tshark's field names).
function Get-ExpectedDecode([string] $Capture) {
    Import-Csv -Delimiter "`t" -Path (Join-Path (Get-SharedCaptureFolder) "expected/$Capture.tsv")
}

function Get-SharedCapture([string] $Name) { Join-Path (Get-SharedCaptureFolder) $Name }

# True when libpcap loads under one of the names MirrorTools tries (Native/LibpcapLoader.cs):
# -Filter, the libpcap capture backend and interface completion need it.
function Test-Libpcap {
    $names = 'libpcap.so.1', 'libpcap.so.0.8', 'libpcap.so', 'libpcap.A.dylib', 'libpcap.dylib', 'wpcap.dll'
    if ($IsWindows) { $names = @(Join-Path ([Environment]::GetFolderPath('System')) 'Npcap/wpcap.dll') + $names }
    foreach ($name in $names) {
        $handle = [IntPtr]::Zero
        if ([System.Runtime.InteropServices.NativeLibrary]::TryLoad($name, [ref] $handle)) {
            [System.Runtime.InteropServices.NativeLibrary]::Free($handle)
            return $true
        }
    }
    $false
}

# The fake EC2/ELBv2 endpoint lives in the xunit assembly (net10.0), built by `dotnet test` (the
# Test task of build.ps1 runs it first). Null when it is not built, or when this PowerShell runs on
# an older .NET (7.4/7.5 run on .NET 8/9) that cannot load it.
function Find-FakeAwsAssembly {
    if ([Environment]::Version.Major -lt 10) { return $null }
    $bin = Join-Path $PSScriptRoot 'MirrorTools.Core.Tests/bin'
    if (-not (Test-Path $bin)) { return $null }
    Get-ChildItem $bin -Recurse -Filter MirrorTools.Core.Tests.dll |
        Sort-Object LastWriteTime -Descending | Select-Object -First 1 -ExpandProperty FullName
}
