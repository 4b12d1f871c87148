#Requires -Version 7.0
<#
.SYNOPSIS
    Builds, tests and packages the MirrorTools module.

.DESCRIPTION
    Small named tasks, run in the order given:
      Clean    removes out/ and the projects' bin/ and obj/ output
      Help     regenerates en-US/MirrorTools.dll-Help.xml from src/MirrorTools/Help/*.md
      Build    stamps the version into MirrorTools.psd1 and lays out out/MirrorTools/<version>/
      Test     builds, then runs the xunit tests and the Pester tests against the built module in a
               fresh pwsh; its last line adds both up: 'N passed, N failed, N skipped'
      Package  zips the built module into out/MirrorTools.<version>.zip
    The version lives in Directory.Build.props only. Plain PowerShell 7 and the .NET SDK; no other module.

.EXAMPLE
    ./build.ps1
    Import-Module ./out/MirrorTools

.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
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

# The Pester module restored from NuGet by the test project (PackageDownload): there is no
# PowerShell Gallery to Install-Module from, and the version stays pinned with the rest.
function Get-PesterManifest {
    $version = ([xml](Get-Content -Raw (Join-Path $root 'tests/MirrorTools.Core.Tests/MirrorTools.Core.Tests.csproj'))).
        SelectSingleNode("//PackageDownload[@Include='Pester']").Version.Trim('[', ']')
    $packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
    $manifest = Join-Path $packages "pester/$version/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) {
        throw "Pester $version not found at $manifest : restore it with 'dotnet restore tests/MirrorTools.Core.Tests'."
    }
    $manifest
}

# Reads the passed/failed/skipped counts of a TRX file (dotnet test --logger trx).
function Read-TrxCounts([string] $Path) {
    $counters = ([xml](Get-Content -Raw $Path)).TestRun.ResultSummary.Counters
    [pscustomobject]@{
        Passed  = [int] $counters.passed
        Failed  = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
        Skipped = [int] $counters.notExecuted
    }
}

function Invoke-Test {
    # The tests run against a fresh build of the module, never a stale one.
    Invoke-Build
    $results = Join-Path $root 'out/test-results'
    Remove-Item -Recurse -Force $results -ErrorAction Ignore
    $null = New-Item -ItemType Directory -Force $results

    # OCI's TypeScript SDK, the oracle the fake OCI endpoint's signature check is tested against,
    # exactly as package-lock.json pins it. Without npm the oracle test fails, naming this step.
    $oracle = Join-Path $root 'tests/oci-oracle'
    if ((Get-Command npm -ErrorAction Ignore) -and -not (Test-Path (Join-Path $oracle 'node_modules/oci-common'))) {
        & npm ci --prefix $oracle --no-audit --no-fund
        if ($LASTEXITCODE -ne 0) { throw "npm ci in $oracle failed (exit $LASTEXITCODE); see the output above." }
    }

    # Also builds the xunit assembly whose fake cloud endpoints the Pester tests use.
    Assert-Dotnet
    $trx = Join-Path $results 'xunit.trx'
    & dotnet test (Join-Path $root 'MirrorTools.sln') -c $Configuration --nologo --logger "trx;LogFileName=$trx" --logger 'console;verbosity=normal'
    $xunitExit = $LASTEXITCODE
    $xunit = if (Test-Path $trx) { Read-TrxCounts $trx } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    $pesterManifest = Get-PesterManifest

    # Pester runs in a fresh pwsh: a MirrorTools.dll imported earlier in this session cannot be
    # unloaded (the tests would run against it, not the build), and this script's StrictMode and
    # ErrorActionPreference must not leak into the tests. Failed blocks and containers (a file that
    # fails in discovery or BeforeAll) count as failures too.
    $pesterCounts = Join-Path $results 'pester.json'
    $command = @(
        "Import-Module $(ConvertTo-Literal $pesterManifest) -ErrorAction Stop"
        '$config = New-PesterConfiguration'
        "`$config.Run.Path = $(ConvertTo-Literal (Join-Path $root 'tests'))"
        '$config.Run.PassThru = $true'
        "`$config.Output.Verbosity = 'Detailed'"
        '$run = Invoke-Pester -Configuration $config'
        '[pscustomobject]@{ Passed = $run.PassedCount; Failed = $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount; Skipped = $run.SkippedCount + $run.NotRunCount } | ConvertTo-Json | Set-Content ' + (ConvertTo-Literal $pesterCounts)
    ) -join '; '
    $pwsh = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
    & $pwsh -NoProfile -NonInteractive -Command $command
    $pester = if (Test-Path $pesterCounts) { Get-Content -Raw $pesterCounts | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }

    Write-Host ("xunit: {0} passed, {1} failed, {2} skipped" -f $xunit.Passed, $xunit.Failed, $xunit.Skipped)
    Write-Host ("Pester: {0} passed, {1} failed, {2} skipped" -f $pester.Passed, $pester.Failed, $pester.Skipped)
    $failed = $xunit.Failed + $pester.Failed
    # The last line is the plain summary CI reads: both suites added up.
    Write-Host ("{0} passed, {1} failed, {2} skipped" -f ($xunit.Passed + $pester.Passed), $failed, ($xunit.Skipped + $pester.Skipped))
    if ($failed -gt 0 -or $xunitExit -ne 0) { exit 1 }
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
