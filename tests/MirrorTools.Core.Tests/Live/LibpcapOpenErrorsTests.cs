using MirrorTools.Capture.Live;
using SharpPcap;

namespace MirrorTools.Tests.Live;

public class LibpcapOpenErrorsTests
{
    private static readonly Func<IEnumerable<string>> TwoInterfaces = () => ["eth0", "lo"];

    [Fact]
    public void NoSuchDevice_CaptureInterfaceNotFound_ListsTheAvailableOnes()
    {
        var error = LibpcapOpenErrors.ForActivateStatus(PcapError.NoSuchDevice, "eth9", "No such device exists",
            TwoInterfaces);

        Assert.Equal("CaptureInterfaceNotFound", error.ErrorId);
        Assert.Equal(ProblemCategory.ObjectNotFound, error.Category);
        Assert.Equal("eth9", error.Target);
        Assert.Contains("Available interfaces: eth0, lo.", error.Message);
    }

    [Theory]
    [InlineData(PcapError.PermissionDenied)]
    [InlineData(PcapError.PromiscuousPermissionDenied)]
    public void PermissionDenied_CapturePermissionDenied_SaysWhichPrivilege(PcapError status)
    {
        var error = LibpcapOpenErrors.ForActivateStatus(status, "eth0",
            "You don't have permission to perform this capture on that device", TwoInterfaces);

        Assert.Equal("CapturePermissionDenied", error.ErrorId);
        Assert.Equal(ProblemCategory.PermissionDenied, error.Category);
        Assert.Contains("You don't have permission", error.Message);
        if (OperatingSystem.IsLinux())
            Assert.Contains("setcap cap_net_raw,cap_net_admin=eip", error.Message);
    }

    [Fact]
    public void InterfaceDown_CaptureInterfaceUnavailable_SaysToBringItUp()
    {
        var error = LibpcapOpenErrors.ForActivateStatus(PcapError.InterfaceNotUp, "eth1", "That device is not up",
            TwoInterfaces);

        Assert.Equal("CaptureInterfaceUnavailable", error.ErrorId);
        Assert.Equal(ProblemCategory.ResourceUnavailable, error.Category);
        Assert.Contains("is down", error.Message);
    }

    [Fact]
    public void GenericError_CaptureInterfaceUnavailable_QuotesLibpcap()
    {
        var error = LibpcapOpenErrors.ForActivateStatus(PcapError.Generic, "bond0", "socket: Address family not supported",
            TwoInterfaces);

        Assert.Equal("CaptureInterfaceUnavailable", error.ErrorId);
        Assert.Contains("socket: Address family not supported", error.Message);
    }
}
