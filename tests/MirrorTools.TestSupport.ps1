# Dot-sourced by the module's Pester tests: where the built module and the test captures are.

$RepositoryRoot = Split-Path $PSScriptRoot -Parent

# The module as build.ps1 (or `dotnet publish src/MirrorTools -c Release`) lays it out.
$ModulePath = Join-Path $RepositoryRoot 'out/MirrorTools'

$buildProps = [xml](Get-Content -Raw (Join-Path $RepositoryRoot 'Directory.Build.props'))
$ProjectVersion = $buildProps.SelectSingleNode('/Project/PropertyGroup/Version').InnerText.Trim()

# The team's public VXLAN captures with tshark's decode in expected/: $env:MIRRORTOOLS_SHARED_CAPTURES,
# or shared/captures beside the repository or beside a folder above it (worktrees sit deeper).
function Get-SharedCaptureFolder {
    if ($env:MIRRORTOOLS_SHARED_CAPTURES) { return $env:MIRRORTOOLS_SHARED_CAPTURES }
    for ($dir = Get-Item $RepositoryRoot; $dir; $dir = $dir.Parent) {
        $candidate = Join-Path $dir.FullName 'shared/captures'
        if (Test-Path (Join-Path $candidate 'expected')) { return $candidate }
    }
    throw 'No shared/captures folder above the repository: set $env:MIRRORTOOLS_SHARED_CAPTURES.'
}

# The rows of expected/<capture>.tsv as objects (one per VXLAN packet, tshark's field names).
function Get-ExpectedDecode([string] $Capture) {
    Import-Csv -Delimiter "`t" -Path (Join-Path (Get-SharedCaptureFolder) "expected/$Capture.tsv")
}

function Get-SharedCapture([string] $Name) { Join-Path (Get-SharedCaptureFolder) $Name }
