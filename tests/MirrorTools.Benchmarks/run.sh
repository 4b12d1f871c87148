#!/usr/bin/env bash
# Builds the benchmarks in Release and runs them: decode packets/s, MB/s and bytes allocated per
# packet on a generated 1M-packet AWS-like mirror capture, plus tshark's and tcpdump's rates.
# Options pass through: --packets N, --runs N, --reference-packets N, --keep.
set -euo pipefail
cd "$(dirname "$0")"
dotnet build -c Release -nologo -v quiet . >/dev/null
exec dotnet bin/Release/net10.0/MirrorTools.Benchmarks.dll "$@"
