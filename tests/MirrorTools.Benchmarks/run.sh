#!/usr/bin/env bash
# Builds the benchmarks in Release and runs them: decode packets/s, MB/s and bytes allocated per
# packet on a generated 1M-packet AWS-like mirror capture, plus tshark's and tcpdump's rates.
# Options pass through: --packets N, --runs N, --reference-packets N, --keep.
# --live RATE[,RATE...] [--live-packets N] [--live-buffer-mb N] [--sharppcap-modes] runs the live-capture comparison instead (root: it makes
# network namespaces; needs tcpdump, nft, taskset): the capture on CPU 0, the sender on CPU 1.
# --inner RATE[,RATE...] [--workers 1,2] [--select-every 1000] [--live-packets N] [--module out/MirrorTools/<v>/MirrorTools.psd1]
# compares filtering in the capture loop with Start-VxlanCapture | Get-InnerPacket (root); not pinned, so -Workers 2 can use both CPUs.
# --drain N [--workers 1,2] [--live-buffer-mb M] measures how fast the workers drain N datagrams buffered in the kernel (no drops).
set -euo pipefail
cd "$(dirname "$0")"
dotnet build -c Release -nologo -v quiet . >/dev/null
if [[ " $* " == *" --live "* && " $* " != *" --inner "* ]]; then
    exec taskset -c 0 dotnet bin/Release/net10.0/MirrorTools.Benchmarks.dll "$@"
fi
exec dotnet bin/Release/net10.0/MirrorTools.Benchmarks.dll "$@"
