#Requires -Version 7.0
<#
.SYNOPSIS
    Builds, tests and packages the MirrorTools module.

.DESCRIPTION
    Small named tasks, run in the order given:
      Clean    removes out/ and the projects' bin/ and obj/ output
      Help     regenerates en-US/MirrorTools.dll-Help.xml from src/MirrorTools/Help/*.md
      Build    stamps the version into MirrorTools.psd1 and lays out out/MirrorTools/<version>/
      Test     runs the xunit tests, then the Pester 5 tests against the built module
      Package  zips the built module into out/MirrorTools.<version>.zip
    The version lives in Directory.Build.props only. Plain PowerShell 7 and the .NET SDK; no other module.

.EXAMPLE
    ./build.ps1
    Import-Module ./out/MirrorTools

.EXAMPLE
    ./build.ps1 -Task Clean, Build, Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Help', 'Build', 'Test', 'Package')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
$manifestPath = Join-Path $root 'MirrorTools.psd1'
$helpSource = Join-Path $root 'src/MirrorTools/Help'
$helpFile = Join-Path $root 'en-US/MirrorTools.dll-Help.xml'
$moduleProject = Join-Path $root 'src/MirrorTools'
$generatorProject = Join-Path $root 'src/MirrorTools.HelpGenerator'

function Get-ModuleVersion {
    $props = Join-Path $root 'Directory.Build.props'
    $version = ([xml](Get-Content -Raw $props)).SelectSingleNode('/Project/PropertyGroup/Version')
    if (-not $version) { throw "No <Version> in ${props}: the module version lives there." }
    $version.InnerText.Trim()
}

function Get-ModuleOutput { Join-Path $root "out/MirrorTools/$(Get-ModuleVersion)" }

function Assert-Dotnet {
    if (-not (Get-Command dotnet -ErrorAction Ignore)) {
        throw 'dotnet not found: install the .NET 8 SDK (or newer) from https://dot.net and open a new shell.'
    }
}

# Runs dotnet and stops the build when it fails, naming what failed.
function Invoke-Dotnet([string] $What, [string[]] $Arguments) {
    Assert-Dotnet
    Write-Host "dotnet $($Arguments -join ' ')" -ForegroundColor DarkGray
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$What failed (dotnet exited with $LASTEXITCODE); see the output above." }
}

function Invoke-Clean {
    Remove-Item -Recurse -Force (Join-Path $root 'out') -ErrorAction Ignore
    Invoke-Dotnet 'Clean' @('clean', (Join-Path $root 'MirrorTools.sln'), '-c', $Configuration, '--nologo', '-v', 'quiet')
}

function Invoke-Help {
    Invoke-Dotnet 'Help generation' @('run', '--project', $generatorProject, '-c', $Configuration, '--', $helpSource, $helpFile)
}

function Invoke-Build {
    # Stamp the version from Directory.Build.props into the source manifest, so the two never disagree.
    $version = Get-ModuleVersion
    $manifest = Get-Content -Raw $manifestPath
    $stamped = $manifest -replace "ModuleVersion(\s*)=(\s*)'[^']*'", "ModuleVersion`$1=`$2'$version'"
    if ($stamped -ne $manifest) {
        Set-Content -Path $manifestPath -Value $stamped -NoNewline
        Write-Host "MirrorTools.psd1: ModuleVersion set to $version"
    }

    $output = Get-ModuleOutput
    Remove-Item -Recurse -Force $output -ErrorAction Ignore
    Invoke-Dotnet 'Build' @('publish', $moduleProject, '-c', $Configuration, '-o', $output, '--nologo')
    if (Get-ChildItem $output -Recurse -Filter System.Management.Automation.dll) {
        throw "System.Management.Automation.dll ended up in $output; PowerShell supplies it, the module must not."
    }
    Write-Host "Built $output; load it with: Import-Module $(Join-Path $root 'out/MirrorTools')"
}

# A PowerShell single-quoted literal of $Text, for a command line.
function ConvertTo-Literal([string] $Text) { "'" + ($Text -replace "'", "''") + "'" }

function Invoke-Test {
    # Everything the Pester half needs is checked first, so a missing piece costs no test run.
    $pester = Get-Module -ListAvailable Pester | Where-Object Version -ge '5.2.0' | Sort-Object Version -Descending | Select-Object -First 1
    if (-not $pester) {
        throw 'Pester 5.2 or later not found: Install-Module Pester -MinimumVersion 5.2 -Scope CurrentUser -Force, then run the Test task again.'
    }
    if (-not (Test-Path (Join-Path (Get-ModuleOutput) 'MirrorTools.psd1'))) {
        throw 'The module is not built: run ./build.ps1 -Task Build, Test.'
    }

    # Also builds the xunit assembly whose fake EC2 endpoint tests/MirrorSession.Tests.ps1 uses.
    Invoke-Dotnet 'xunit tests' @('test', (Join-Path $root 'MirrorTools.sln'), '-c', $Configuration, '--nologo')

    # Pester runs in a fresh pwsh: a MirrorTools.dll imported earlier in this session cannot be
    # unloaded (the tests would run against it, not the build), and this script's StrictMode and
    # ErrorActionPreference must not leak into the tests. Run.Exit makes the exit code count failed
    # tests, blocks and containers (a file that fails in discovery or BeforeAll fails the task too).
    $command = @(
        "Import-Module $(ConvertTo-Literal $pester.Path) -ErrorAction Stop"
        '$config = New-PesterConfiguration'
        "`$config.Run.Path = $(ConvertTo-Literal (Join-Path $root 'tests'))"
        '$config.Run.Exit = $true'
        "`$config.Output.Verbosity = 'Detailed'"
        'Invoke-Pester -Configuration $config'
    ) -join '; '
    $pwsh = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
    & $pwsh -NoProfile -NonInteractive -Command $command
    if ($LASTEXITCODE -ne 0) { throw "Pester tests failed (pwsh exited with $LASTEXITCODE); see the output above." }
}

function Invoke-Package {
    $output = Get-ModuleOutput
    if (-not (Test-Path (Join-Path $output 'MirrorTools.psd1'))) {
        throw "Nothing to package in $output : run ./build.ps1 -Task Build, Package."
    }
    $zip = Join-Path $root "out/MirrorTools.$(Get-ModuleVersion).zip"
    Compress-Archive -Path (Join-Path $output '*') -DestinationPath $zip -Force
    Write-Host "Packaged $zip (unzip into a folder named MirrorTools/$(Get-ModuleVersion) on `$env:PSModulePath)"
}

foreach ($name in $Task) {
    Write-Host "== $name" -ForegroundColor Cyan
    & "Invoke-$name"
}
