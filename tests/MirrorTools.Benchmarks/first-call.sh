#!/usr/bin/env bash
# Get-InnerPacket's first call in a fresh pwsh against the same call warm (issue 15: a runbook's
# one-shot command is the first call). Each run is a new `dotnet pwsh` pinned to one CPU with
# taskset, on a generated AWS-like capture; prints every run, then the medians.
#   first-call.sh [--runs 7] [--packets 1000000] [--capture FILE] [--module DIR] [--cpu 0]
# --module is the folder Import-Module loads (default: out/MirrorTools, as build.ps1 lays it out).
# The environment passes through: DOTNET_TieredCompilation=0 first-call.sh measures that setting,
# DOTNET_ReadyToRun=0 measures a ReadyToRun build as if its native code were absent.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=7 packets=1000000 capture='' module="$root/out/MirrorTools" cpu=0
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs=$2; shift 2 ;;
        --packets) packets=$2; shift 2 ;;
        --capture) capture=$2; shift 2 ;;
        --module) module=$2; shift 2 ;;
        --cpu) cpu=$2; shift 2 ;;
        *) echo "unknown option '$1'; use --runs N, --packets N, --capture FILE, --module DIR, --cpu N" >&2; exit 2 ;;
    esac
done
[ -d "$module" ] || { echo "no module at $module: run 'dotnet pwsh ./build.ps1' first" >&2; exit 1; }

if [ -z "$capture" ]; then
    scratch=$(mktemp -d -t mirrortools-first-call-XXXXXX)
    trap 'rm -rf "$scratch"' EXIT
    capture="$scratch/aws-like-mirror.pcap"
    dotnet build -c Release -nologo -v quiet "$here" >/dev/null
    dotnet "$here/bin/Release/net10.0/MirrorTools.Benchmarks.dll" --write-capture "$capture" --packets "$packets"
fi

cd "$root"
dotnet tool restore >/dev/null
results=''
echo "wall seconds, then CPU seconds of the process (CPU $cpu, $runs fresh processes each):"
echo "command  import  first  warm  import_cpu  first_cpu  warm_cpu  jit_methods_first  jit_s_first  objects"
for command in filter all; do
    for ((run = 1; run <= runs; run++)); do
        # A run that fails prints its error and counts for nothing.
        line=$(taskset -c "$cpu" dotnet pwsh -NoProfile -NonInteractive -File "$here/first-call.ps1" \
            -Module "$module" -Capture "$capture" -Command "$command" 2>&1) || true
        echo "$line"
        results+=$(grep -E "^$command [0-9.]+ " <<<"$line")$'\n' || true
    done
done

# Medians per command: first call, warm, and first/warm (the target is 1.5 or less).
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
column_median() { awk -v c="$1" -v k="$2" '$1 == c { print $k }' <<<"$results" | median; }
set +e
echo
echo "median   import  first   warm  first/warm | import_cpu  first_cpu  warm_cpu  first/warm | jit_s_first"
for command in filter all; do
    awk -v c="$command" -v i="$(column_median "$command" 2)" -v f="$(column_median "$command" 3)" -v w="$(column_median "$command" 4)" \
        -v ic="$(column_median "$command" 5)" -v fc="$(column_median "$command" 6)" -v wc="$(column_median "$command" 7)" -v j="$(column_median "$command" 9)" \
        'BEGIN { printf "%-8s %6.3f %6.3f %6.3f %10.2f | %10.3f %10.3f %9.3f %10.2f | %11.3f\n", c, i, f, w, f / w, ic, fc, wc, fc / wc, j }'
done
