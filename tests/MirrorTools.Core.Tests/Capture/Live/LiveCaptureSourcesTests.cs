using MirrorTools.Capture.Live;

namespace MirrorTools.Tests.Capture.Live;

/// <summary>Which listener a capture gets when libpcap is not installed.</summary>
public class LiveCaptureSourcesTests
{
    private static ILiveCaptureSource LibpcapMissing(CaptureOptions options, ICollection<string> notices) =>
        throw new MirrorToolsException("LibpcapNotFound", ProblemCategory.NotInstalled, "libpcap could not be loaded", "libpcap");

    [Fact]
    public void NoListenerChosen_WithoutLibpcap_FallsBackToTheSocketListenerWithANotice()
    {
        var notices = new List<string>();
        using var source = LiveCaptureSources.Open(new CaptureOptions { Ports = [0] }, notices, LibpcapMissing);

        Assert.Equal(CaptureListener.Socket, source.Listener);
        Assert.Contains(notices, n => n.Contains("libpcap is not installed", StringComparison.Ordinal));
    }

    [Fact]
    public void LibpcapChosen_WithoutLibpcap_IsLibpcapNotFound()
    {
        var error = Assert.Throws<MirrorToolsException>(() => LiveCaptureSources.Open(
            new CaptureOptions { Listener = CaptureListener.Libpcap, Ports = [0] }, [], LibpcapMissing));
        Assert.Equal("LibpcapNotFound", error.ErrorId);
    }

    [Fact]
    public void InterfaceNamed_WithoutLibpcap_IsLibpcapNotFound_NotASilentSwitch()
    {
        var error = Assert.Throws<MirrorToolsException>(() => LiveCaptureSources.Open(
            new CaptureOptions { Interface = "eth0", Ports = [0] }, [], LibpcapMissing));
        Assert.Equal("LibpcapNotFound", error.ErrorId);
    }
}
