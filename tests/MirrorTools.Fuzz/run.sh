#!/usr/bin/env bash
# Coverage-guided fuzzing of MirrorTools.Core's capture reading (SharpFuzz + afl++).
#
#   tests/MirrorTools.Fuzz/run.sh [-t SECONDS] [-o DIR] [--canary]
#
# Publishes the harness, instruments MirrorTools.Core.dll with SharpFuzz, makes small seeds from
# tests/captures (and tests/data/sample-mirror.pcap), runs afl-fuzz for SECONDS (default 60) and ends
# with one line: "fuzz <target>: N executions, E edges, C crashes in S s".
# Exit: 0 no crash; 1 a crash (inputs in DIR/findings/default/crashes, replay command printed);
# 2 the harness could not run. --canary fuzzes the target with a planted bug and exits 0 only if
# the crash is found: it proves the harness catches crashes.
set -uo pipefail

seconds=60
work=""
target=capture
while [ $# -gt 0 ]; do
  case "$1" in
    -t) seconds="$2"; shift 2 ;;
    -o) work="$2"; shift 2 ;;
    --canary) target=canary; shift ;;
    *) echo "usage: $0 [-t SECONDS] [-o DIR] [--canary]" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
fail() { echo "fuzz $target: $*" >&2; echo "fuzz $target: could not run"; exit 2; }
command -v afl-fuzz >/dev/null || fail "afl-fuzz not found: apt-get install afl++ (.ci/run installs it)"
command -v editcap >/dev/null || fail "editcap not found: apt-get install tshark (it brings editcap)"
[ -n "$work" ] || work=$(mktemp -d "${TMPDIR:-/tmp}/mirrortools-fuzz.XXXXXX")
mkdir -p "$work"
rm -rf "$work/bin" "$work/seeds" "$work/findings" "$work/scratch"
mkdir -p "$work/seeds" "$work/scratch"

# A separate published copy, so the instrumented MirrorTools.Core.dll never reaches the module.
dotnet publish "$here/MirrorTools.Fuzz.csproj" -c Release -o "$work/bin" --nologo -v quiet >"$work/publish.log" 2>&1 \
  || { cat "$work/publish.log" >&2; fail "dotnet publish failed"; }
(cd "$here" && dotnet tool restore >/dev/null && dotnet sharpfuzz "$work/bin/MirrorTools.Core.dll") >"$work/instrument.log" 2>&1 \
  || { cat "$work/instrument.log" >&2; fail "SharpFuzz could not instrument MirrorTools.Core.dll"; }

# Seeds: small files as they are; larger ones cut to their first 4 packets; pcapng and gzip forms
# of the sample, so the pcapng reader and the gzip path are fuzzed too. The canary starts from the
# sample alone: its planted bug is one bit flip away from the sample's VNI.
sample="$repo/tests/data/sample-mirror.pcap"
cp "$sample" "$work/seeds/sample-mirror.pcap"
if [ "$target" = capture ]; then
  for capture in "$repo"/tests/captures/*.pcap; do
    name=$(basename "$capture")
    if [ "$(stat -c %s "$capture")" -le 8192 ]; then
      cp "$capture" "$work/seeds/$name"
    else
      editcap -F pcap -r "$capture" "$work/seeds/$name" 1-4 >/dev/null 2>&1 || fail "editcap could not cut $capture"
    fi
  done
  editcap -F pcapng "$sample" "$work/seeds/sample-mirror.pcapng" >/dev/null 2>&1 || fail "editcap could not convert $sample"
  gzip -c "$sample" >"$work/seeds/sample-mirror.pcap.gz"
fi

export AFL_SKIP_BIN_CHECK=1            # afl-fuzz runs dotnet, which is not instrumented; Core is
export AFL_NO_UI=1 AFL_QUIET=1
export AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
export MIRRORTOOLS_FUZZ_SCRATCH="$work/scratch"
[ "$target" = canary ] && export AFL_BENCH_UNTIL_CRASH=1
start=$(date +%s)
# -V bounds the fuzzing time; the outer timeout also bounds a start that never completes.
timeout --signal=INT --kill-after=10 $((seconds + 30)) \
  afl-fuzz -V "$seconds" -i "$work/seeds" -o "$work/findings" -t 5000 -m none -- \
  dotnet "$work/bin/MirrorTools.Fuzz.dll" "$target" >"$work/afl.log" 2>&1
elapsed=$(( $(date +%s) - start ))

stats="$work/findings/default/fuzzer_stats"
if [ ! -f "$stats" ]; then
  tail -n 20 "$work/afl.log" >&2
  fail "afl-fuzz wrote no statistics"
fi
stat() { sed -n "s/^$1 *: *//p" "$stats" | head -n 1; }
execs=$(stat execs_done)
edges=$(stat edges_found)
crashes=$(stat saved_crashes)
[ -n "$crashes" ] || crashes=$(stat unique_crashes)
[ -n "$execs" ] && [ "$execs" -gt 0 ] || fail "no execution completed (see $work/afl.log)"

first=$(ls "$work/findings/default/crashes"/id:* 2>/dev/null | head -n 1)
if [ -n "$first" ]; then
  echo "crashing inputs: $work/findings/default/crashes"
  echo "replay: dotnet $work/bin/MirrorTools.Fuzz.dll $target < '$first'"
  # The first crash's exception; the inner shell's "Aborted" notice goes to the log too.
  bash -c '"$@"; true' replay dotnet "$work/bin/MirrorTools.Fuzz.dll" "$target" <"$first" >"$work/replay.log" 2>&1
  grep -m 3 -E "Exception|   at " "$work/replay.log"
fi
echo "fuzz $target: $execs executions, $edges edges, $crashes crashes in $elapsed s"
if [ "$target" = canary ]; then
  [ "$crashes" -gt 0 ] && exit 0
  echo "fuzz canary: the planted crash was not found" >&2
  exit 1
fi
[ "$crashes" -eq 0 ]
