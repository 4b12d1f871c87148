using MirrorTools.Capture.Live;
using MirrorTools.Filtering;
using MirrorTools.Tests.Native;

namespace MirrorTools.Tests.Live;

public class VxlanCaptureFilterTests
{
    [Fact]
    public void Build_DefaultPort_KeepsNonFirstFragments()
    {
        Assert.Equal("udp dst port 4789 or (ip[6:2] & 0x1fff != 0)", VxlanCaptureFilter.Build([4789], null));
    }

    [Fact]
    public void Build_ExtraFilter_IsAndedAroundTheWholePortFilter()
    {
        Assert.Equal("(udp dst port 4789 or udp dst port 8472 or (ip[6:2] & 0x1fff != 0)) and (src net 10.0.0.0/8)",
            VxlanCaptureFilter.Build([4789, 8472, 4789], "src net 10.0.0.0/8"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void Build_PortOutOfRange_Throws(int port)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VxlanCaptureFilter.Build([port], null));
    }

    [Fact]
    public void Build_NoPorts_Throws()
    {
        Assert.Throws<ArgumentException>(() => VxlanCaptureFilter.Build([], null));
    }

    [Fact]
    public void DefaultFilter_TakesVxlanAndLaterFragments_NotTheSourcePortOrOtherTraffic()
    {
        using var filter = BpfFilter.Compile(VxlanCaptureFilter.Build([4789], null));

        Assert.True(Passes(filter, TestFrames.Ipv4Udp("192.0.2.1", "192.0.2.2", 50123, 4789)));
        Assert.True(Passes(filter, TestFrames.Ipv4UdpFragment("192.0.2.1", "192.0.2.2", 0, moreFragments: true)));
        Assert.True(Passes(filter, TestFrames.Ipv4UdpFragment("192.0.2.1", "192.0.2.2", 185, moreFragments: true)));
        Assert.True(Passes(filter, TestFrames.Ipv4UdpFragment("192.0.2.1", "192.0.2.2", 370, moreFragments: false)));
        // Outer source ports are flow hashes: a reply from port 4789 is not mirror traffic.
        Assert.False(Passes(filter, TestFrames.Ipv4Udp("192.0.2.2", "192.0.2.1", 4789, 50123)));
        Assert.False(Passes(filter, TestFrames.Ipv4Tcp("192.0.2.1", "192.0.2.2", 50123, 4789)));
        Assert.False(Passes(filter, TestFrames.Ipv4UdpFragment("192.0.2.1", "192.0.2.2", 0, moreFragments: true, 53)));
    }

    private static bool Passes(BpfFilter filter, byte[] frame) => filter.Matches(frame, frame.Length);
}
