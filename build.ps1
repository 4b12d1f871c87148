#Requires -Version 7.0
<#
.SYNOPSIS
    Builds, tests and packages the MirrorTools module.

.DESCRIPTION
    Small named tasks, run in the order given; each runs what it needs first (once per call):
      Clean      removes out/ and the projects' bin/ and obj/ output
      Help       regenerates en-US/MirrorTools.dll-Help.xml from src/MirrorTools/Help/*.md
      Build      lays out out/MirrorTools/<version>/, its manifest stamped with the version
                 (the tracked MirrorTools.psd1 is never rewritten)
      OciOracle  npm ci of tests/oci-oracle: OCI's TypeScript SDK, the fake OCI endpoint's oracle
      Xunit      the xunit tests (dotnet test MirrorTools.sln; -XunitFilter narrows them)
      Pester     the Pester tests in a fresh pwsh against the built module (-PesterPath narrows them)
      Test       OciOracle, Build, Xunit and Pester
    After Xunit or Pester, the last line adds the suites run up: 'N passed, N failed, N skipped'
    (what .ci/run reads); a failed test makes the exit code 1.
      Package    zips the built module into out/MirrorTools.<version>.zip
    The version lives in Directory.Build.props only, package versions in Directory.Packages.props.
    Plain PowerShell 7 and the .NET SDK; no other module.

.EXAMPLE
    ./build.ps1
    Import-Module ./out/MirrorTools

.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test

.EXAMPLE
    ./build.ps1 -Task Pester -PesterPath tests/Get-InnerPacket.Tests.ps1
    One Pester file against a fresh build of the module.

.EXAMPLE
    ./build.ps1 -Task Xunit -XunitFilter 'FullyQualifiedName~ManifestTests'
#>
[CmdletBinding()]
param(
    [ValidateSet('Clean', 'Help', 'Build', 'OciOracle', 'Xunit', 'Pester', 'Test', 'Package')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # The Pester task's files or folders; default: tests/.
    [string[]] $PesterPath,

    # The Xunit task's test filter, as `dotnet test --filter` takes it.
    [string] $XunitFilter
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
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

function Invoke-CleanTask {
    Remove-Item -Recurse -Force (Join-Path $root 'out') -ErrorAction Ignore
    Invoke-Dotnet 'Clean' @('clean', (Join-Path $root 'MirrorTools.sln'), '-c', $Configuration, '--nologo', '-v', 'quiet')
}

function Invoke-HelpTask {
    Invoke-Dotnet 'Help generation' @('run', '--project', $generatorProject, '-c', $Configuration, '--', $helpSource, $helpFile)
}

function Invoke-BuildTask {
    # The publish target stamps the version from Directory.Build.props into out/'s copy of the
    # manifest; the tracked MirrorTools.psd1 stays as committed.
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
    $props = Join-Path $root 'Directory.Packages.props'
    $version = ([xml](Get-Content -Raw $props)).SelectSingleNode('/Project/PropertyGroup/PesterVersion')
    if (-not $version) { throw "No <PesterVersion> in ${props}: the Pester version lives there." }
    $version = $version.InnerText.Trim()
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

# Each suite task's counts, for the closing summary; and whether the test assembly is built.
$suiteCounts = [ordered]@{}
$testAssemblyBuilt = $false

function Add-SuiteCounts([string] $Suite, [pscustomobject] $Counts) {
    $suiteCounts[$Suite] = $Counts
    Write-Host ("{0}: {1} passed, {2} failed, {3} skipped" -f $Suite, $Counts.Passed, $Counts.Failed, $Counts.Skipped)
}

function Invoke-OciOracleTask {
    # OCI's TypeScript SDK, the oracle the fake OCI endpoint's signature check is tested against,
    # exactly as package-lock.json pins it. Without npm the oracle test fails, naming this step.
    $oracle = Join-Path $root 'tests/oci-oracle'
    if (-not (Get-Command npm -ErrorAction Ignore)) {
        Write-Warning "npm not found: the OCI signing oracle test will fail. Install node 20 with npm, then run ./build.ps1 -Task OciOracle."
        return
    }
    if (Test-Path (Join-Path $oracle 'node_modules/oci-common')) {
        Write-Host "OCI oracle already installed in $oracle/node_modules"
        return
    }
    & npm ci --prefix $oracle --no-audit --no-fund
    if ($LASTEXITCODE -ne 0) { throw "npm ci in $oracle failed (exit $LASTEXITCODE); see the output above." }
}

function Invoke-XunitTask {
    Invoke-Task OciOracle
    $results = Join-Path $root 'out/test-results'
    $null = New-Item -ItemType Directory -Force $results
    $trx = Join-Path $results 'xunit.trx'
    Remove-Item $trx -ErrorAction Ignore
    # Also builds the xunit assembly whose fake cloud endpoints the Pester tests use.
    Assert-Dotnet
    $arguments = @('test', (Join-Path $root 'MirrorTools.sln'), '-c', $Configuration, '--nologo',
        '--logger', "trx;LogFileName=$trx", '--logger', 'console;verbosity=normal')
    if ($XunitFilter) { $arguments += @('--filter', $XunitFilter) }
    & dotnet @arguments
    $exit = $LASTEXITCODE
    $script:testAssemblyBuilt = $true
    $counts = if (Test-Path $trx) { Read-TrxCounts $trx } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    # dotnet test failing with no failed test (a build error, a crashed host) still fails the suite.
    if ($exit -ne 0 -and $counts.Failed -eq 0) { $counts.Failed = 1 }
    Add-SuiteCounts 'xunit' $counts
}

function Invoke-PesterTask {
    # The tests run against a fresh build of the module, never a stale one, and use the fake cloud
    # endpoints of the xunit assembly (built by the Xunit task when it ran first).
    Invoke-Task Build
    if (-not $testAssemblyBuilt) {
        Invoke-Dotnet 'Building the test assembly' @('build', (Join-Path $root 'tests/MirrorTools.Core.Tests'), '-c', $Configuration, '--nologo', '-v', 'quiet')
        $script:testAssemblyBuilt = $true
    }
    $results = Join-Path $root 'out/test-results'
    $null = New-Item -ItemType Directory -Force $results
    $pesterCounts = Join-Path $results 'pester.json'
    Remove-Item $pesterCounts -ErrorAction Ignore
    $paths = if ($PesterPath) { $PesterPath | ForEach-Object { (Resolve-Path $_).Path } } else { @(Join-Path $root 'tests') }
    $pesterManifest = Get-PesterManifest

    # Pester runs in a fresh pwsh: a MirrorTools.dll imported earlier in this session cannot be
    # unloaded (the tests would run against it, not the build), and this script's StrictMode and
    # ErrorActionPreference must not leak into the tests. Failed blocks and containers (a file that
    # fails in discovery or BeforeAll) count as failures too.
    $command = @(
        "Import-Module $(ConvertTo-Literal $pesterManifest) -ErrorAction Stop"
        '$config = New-PesterConfiguration'
        "`$config.Run.Path = @($(($paths | ForEach-Object { ConvertTo-Literal $_ }) -join ', '))"
        '$config.Run.PassThru = $true'
        "`$config.Output.Verbosity = 'Detailed'"
        '$run = Invoke-Pester -Configuration $config'
        '[pscustomobject]@{ Passed = $run.PassedCount; Failed = $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount; Skipped = $run.SkippedCount + $run.NotRunCount } | ConvertTo-Json | Set-Content ' + (ConvertTo-Literal $pesterCounts)
    ) -join '; '
    $pwsh = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
    & $pwsh -NoProfile -NonInteractive -Command $command
    $counts = if (Test-Path $pesterCounts) { Get-Content -Raw $pesterCounts | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    Add-SuiteCounts 'Pester' $counts
}

function Invoke-TestTask {
    Invoke-Task OciOracle
    Invoke-Task Build
    Invoke-Task Xunit
    Invoke-Task Pester
}

function Invoke-PackageTask {
    $output = Get-ModuleOutput
    if (-not (Test-Path (Join-Path $output 'MirrorTools.psd1'))) {
        throw "Nothing to package in $output : run ./build.ps1 -Task Build, Package."
    }
    $zip = Join-Path $root "out/MirrorTools.$(Get-ModuleVersion).zip"
    Compress-Archive -Path (Join-Path $output '*') -DestinationPath $zip -Force
    Write-Host "Packaged $zip (unzip into a folder named MirrorTools/$(Get-ModuleVersion) on `$env:PSModulePath)"
}

# Runs a task once per call of this script, however many tasks ask for it.
$completedTasks = [Collections.Generic.HashSet[string]]::new()
function Invoke-Task([string] $Name) {
    if (-not $completedTasks.Add($Name)) { return }
    Write-Host "== $Name" -ForegroundColor Cyan
    & "Invoke-${Name}Task"
}

foreach ($name in $Task) { Invoke-Task $name }

# After any test suite, the last line is the plain summary CI reads (.ci/run): the suites added
# up. A suite with a failure fails the call, once every task asked for has run.
if ($suiteCounts.Count -gt 0) {
    $totals = $suiteCounts.Values | Measure-Object -Sum -Property Passed, Failed, Skipped
    Write-Host ("{0} passed, {1} failed, {2} skipped" -f $totals[0].Sum, $totals[1].Sum, $totals[2].Sum)
    if ($totals[1].Sum -gt 0) { exit 1 }
}
