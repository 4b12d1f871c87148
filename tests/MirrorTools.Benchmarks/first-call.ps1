# One fresh process of first-call.sh: imports the module, then runs one command once cold and
# three times warm, and prints one line: the command; wall seconds of the import, the first call
# and the warm call (median of three); the same for CPU seconds of the whole process (steadier
# than wall time on a shared machine); and the JIT's share of the first call (methods compiled,
# seconds compiling on every thread).
param(
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $Capture,
    [Parameter(Mandatory)] [ValidateSet('filter', 'all')] [string] $Command
)
$ErrorActionPreference = 'Stop'

$run = switch ($Command) {
    'filter' { { Get-InnerPacket -Path $Capture -Filter 'tcp dst port 443' | Measure-Object } }
    'all' { { Get-InnerPacket -Path $Capture | Measure-Object } }
}
$process = [Diagnostics.Process]::GetCurrentProcess()
function Get-CpuSeconds { $process.Refresh(); $process.TotalProcessorTime.TotalSeconds }

$clock = [Diagnostics.Stopwatch]::StartNew()
$cpu = Get-CpuSeconds
Import-Module $Module
$import = $clock.Elapsed.TotalSeconds
$importCpu = (Get-CpuSeconds) - $cpu

$methods = [Runtime.JitInfo]::GetCompiledMethodCount()
$jit = [Runtime.JitInfo]::GetCompilationTime()
$cpu = Get-CpuSeconds
$clock.Restart()
$count = (& $run).Count
$first = $clock.Elapsed.TotalSeconds
$firstCpu = (Get-CpuSeconds) - $cpu
$firstMethods = [Runtime.JitInfo]::GetCompiledMethodCount() - $methods
$firstJit = ([Runtime.JitInfo]::GetCompilationTime() - $jit).TotalSeconds

$warm = foreach ($i in 1..3) {
    $cpu = Get-CpuSeconds
    $clock.Restart()
    $null = & $run
    [pscustomobject]@{ Wall = $clock.Elapsed.TotalSeconds; Cpu = (Get-CpuSeconds) - $cpu }
}
$warmWall = ($warm.Wall | Sort-Object)[1]
$warmCpu = ($warm.Cpu | Sort-Object)[1]
[Globalization.CultureInfo]::CurrentCulture = [Globalization.CultureInfo]::InvariantCulture
'{0} {1:F3} {2:F3} {3:F3} {4:F3} {5:F3} {6:F3} {7} {8:F3} {9}' -f $Command, $import, $first, $warmWall, $importCpu, $firstCpu, $warmCpu, $firstMethods, $firstJit, $count
