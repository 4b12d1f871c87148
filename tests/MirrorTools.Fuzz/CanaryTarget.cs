namespace MirrorTools.Fuzz;

/// <summary>
/// The capture target with a planted bug, to show that the harness finds and reports a crash: it
/// throws when a packet's VNI is one bit away from 4242, the VNI of tests/data/sample-mirror.pcap,
/// so any single bit flip in one of the sample's VNI fields crashes it. Never part of the module.
/// </summary>
internal static class CanaryTarget
{
    private const int SampleVni = 4242;

    public static void Run(Stream input) => CaptureFileTarget.Read(input, packet =>
    {
        if (int.PopCount(packet.Vni ^ SampleVni) == 1)
            throw new InvalidOperationException($"canary: VNI {packet.Vni} is one bit away from {SampleVni}");
    });
}
