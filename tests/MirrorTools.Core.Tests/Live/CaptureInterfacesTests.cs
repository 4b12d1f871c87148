using System.Net;
using MirrorTools.Capture.Live;

namespace MirrorTools.Tests.Live;

public class CaptureInterfacesTests
{
    [Fact]
    public void List_IncludesLoopbackWithItsAddress()
    {
        var interfaces = CaptureInterfaces.List();

        var loopback = Assert.Single(interfaces, device => device.IsLoopback && device.Addresses.Contains(IPAddress.Loopback));
        Assert.True(loopback.IsUp);
        Assert.Equal(loopback.Name, loopback.ToString());
    }
}
