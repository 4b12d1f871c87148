#!/usr/bin/env -S dotnet pwsh -NoProfile -File
# Export-Csv and ConvertTo-Json of InnerPacket objects, time and size, in the pinned pwsh against the
# built module: run by hand on a capture `run.sh --packets 100000 --keep` leaves, e.g.
#   dotnet pwsh -NoProfile tests/MirrorTools.Benchmarks/export.ps1 /tmp/mirrortools-bench-XXXX/aws-like-mirror.pcap
# Each row runs once after a 1,000-packet warm-up, on packets already in memory (the decode is not
# timed), and writes to a temporary folder it deletes.
param(
    [Parameter(Mandatory)] [string] $Capture,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../../out/MirrorTools')
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$folder = New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "mt-export-$(Get-Random)")
try {
    Get-InnerPacket -Path $Capture | Select-Object -First 1000 | Export-Csv (Join-Path $folder 'warm.csv')
    $packets = Get-InnerPacket -Path $Capture
    $rows = [ordered]@{
        'Export-Csv'                                         = { param($file) $packets | Export-Csv $file }
        'ConvertTo-Json'                                     = { param($file) $packets | ConvertTo-Json -WarningAction Ignore | Set-Content $file }
        'ConvertTo-Json -AsArray -Depth 1 -EnumsAsStrings'   = { param($file) $packets | ConvertTo-Json -AsArray -Depth 1 -EnumsAsStrings -WarningAction Ignore | Set-Content $file }
    }
    "{0:N0} packets of {1}" -f $packets.Count, $Capture
    foreach ($name in $rows.Keys) {
        $file = Join-Path $folder 'out'
        $time = Measure-Command { & $rows[$name] $file }
        "{0,-50} {1,8:N2} s {2,9:N1} MB" -f $name, $time.TotalSeconds, ((Get-Item $file).Length / 1MB)
    }
}
finally {
    Remove-Item -Recurse -Force $folder
}
