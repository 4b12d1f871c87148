using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Lab;

/// <summary>
/// Records the sample traffic through the kernel mirror and checks it with tshark, the
/// reference decoder. <c>tests/data/make-sample.sh</c> runs this with MIRRORTOOLS_SAMPLE_OUTPUT
/// set to keep the recording as the committed sample.
/// </summary>
public sealed class SampleMirrorRecordingTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mt-sample-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [RootFact]
    public void SampleTraffic_ThroughTheKernelMirror_HoldsEveryExchangeInBothDirections()
    {
        var path = Path.Combine(_directory, "sample-mirror.pcap");

        SampleMirrorTraffic.Record(path);

        const string inTunnel = "udp.dstport == 4789 && vxlan.vni == 4242";
        Assert.Equal(SampleMirrorTraffic.PingCount, TsharkDisplayFilter.Count(path, $"{inTunnel} && icmp.type == 8 && ip.len == {20 + 8 + SampleMirrorTraffic.PingPayloadSize}"));
        Assert.Equal(SampleMirrorTraffic.PingCount, TsharkDisplayFilter.Count(path, $"{inTunnel} && icmp.type == 0 && ip.len == {20 + 8 + SampleMirrorTraffic.PingPayloadSize}"));
        Assert.Equal(SampleMirrorTraffic.PingV6Count, TsharkDisplayFilter.Count(path, $"{inTunnel} && icmpv6.type == 128"));
        Assert.Equal(SampleMirrorTraffic.PingV6Count, TsharkDisplayFilter.Count(path, $"{inTunnel} && icmpv6.type == 129"));
        Assert.Equal(new[] { "GET\t/index.html" }, TsharkDisplayFilter.Rows(path, $"{inTunnel} && http.request", "http.request.method", "http.request.uri"));
        Assert.Equal(new[] { "200" }, TsharkDisplayFilter.Rows(path, $"{inTunnel} && http.response", "http.response.code"));
        Assert.Equal(new[] { "www.example.test", "www.example.test" }, TsharkDisplayFilter.Rows(path, $"{inTunnel} && dns.flags.response == 0", "dns.qry.name"));
        Assert.Equal(new[] { "192.0.2.80", "192.0.2.80" }, TsharkDisplayFilter.Rows(path, $"{inTunnel} && dns.flags.response == 1", "dns.a"));
        Assert.True(new FileInfo(path).Length < 100_000, "the sample must stay small enough to commit");

        if (Environment.GetEnvironmentVariable("MIRRORTOOLS_SAMPLE_OUTPUT") is { Length: > 0 } output)
            File.Copy(path, output, overwrite: true);
    }
}
