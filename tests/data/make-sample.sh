#!/usr/bin/env bash
# Regenerates tests/data/sample-mirror.pcap with the Linux kernel as the encapsulator: the lab
# (tests/MirrorTools.Core.Tests/Lab) mirrors pings, an HTTP exchange, DNS and IPv6 pings with
# tc mirred into a VXLAN device (VNI 4242) and tcpdump records them on the capture host.
# Needs root, iproute2, tcpdump, iputils-ping and tshark (which checks the recording first).
set -euo pipefail
cd "$(dirname "$0")/../.."
export MIRRORTOOLS_SAMPLE_OUTPUT="$PWD/tests/data/sample-mirror.pcap"
dotnet test tests/MirrorTools.Core.Tests \
  --filter "FullyQualifiedName~MirrorTools.Tests.Lab.SampleMirrorRecordingTests"
ls -l "$MIRRORTOOLS_SAMPLE_OUTPUT"
