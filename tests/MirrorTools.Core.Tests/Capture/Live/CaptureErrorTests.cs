using MirrorTools.Capture.Live;
using MirrorTools.Tests.Infrastructure;
using MirrorTools.Tests.Lab;

namespace MirrorTools.Tests.Capture.Live;

/// <summary>What the user sees when a capture cannot start: a stable id, and a message that says why and what to do.</summary>
public class CaptureErrorTests
{
    [RootFact]
    public void NonexistentInterface_IsCaptureInterfaceNotFound()
    {
        var error = Assert.Throws<MirrorToolsException>(() => VxlanCaptureSession.Start(
            new CaptureOptions { Listener = CaptureListener.Libpcap, Interface = "mt-nosuch0", Count = 1 }));

        Assert.Equal("CaptureInterfaceNotFound", error.ErrorId);
        Assert.Equal("mt-nosuch0", error.Target);
    }

    [RootFact]
    public void PortHeldByAKernelVxlanDevice_IsCapturePortInUse_NamingTheDevice()
    {
        using var lab = KernelMirrorLab.Create(); // its source namespace has a VXLAN device on 4789

        var error = Assert.Throws<MirrorToolsException>(() => lab.RunInNamespace(lab.SourceNamespace,
            () => VxlanCaptureSession.Start(new CaptureOptions { Listener = CaptureListener.Socket, Count = 1 })));

        Assert.Equal("CapturePortInUse", error.ErrorId);
        Assert.Equal(ProblemCategory.ResourceBusy, error.Category);
        Assert.Contains($"the kernel VXLAN device '{lab.VxlanInterface}' (dstport 4789)", error.Message);
    }

    [RootFact]
    public void LibpcapWithoutCapNetRaw_IsCapturePermissionDenied()
    {
        var error = Assert.Throws<MirrorToolsException>(() => WithoutCapabilities.Run(
            [WithoutCapabilities.NetRaw, WithoutCapabilities.NetAdmin],
            () => VxlanCaptureSession.Start(new CaptureOptions { Listener = CaptureListener.Libpcap, Interface = "lo", Count = 1 })));

        Assert.Equal("CapturePermissionDenied", error.ErrorId);
        Assert.Equal(ProblemCategory.PermissionDenied, error.Category);
    }

    [RootFact]
    public void SocketOnAPrivilegedPortWithoutCapNetBindService_IsCapturePermissionDenied()
    {
        var error = Assert.Throws<MirrorToolsException>(() => WithoutCapabilities.Run(
            [WithoutCapabilities.NetBindService],
            () => VxlanCaptureSession.Start(new CaptureOptions { Listener = CaptureListener.Socket, Ports = [789], Count = 1 })));

        Assert.Equal("CapturePermissionDenied", error.ErrorId);
        Assert.Contains("CAP_NET_BIND_SERVICE", error.Message);
    }

    [RootFact]
    public void HealthCheckOnAPrivilegedPortWithoutCapNetBindService_IsCapturePermissionDenied()
    {
        var error = Assert.Throws<MirrorToolsException>(() => WithoutCapabilities.Run(
            [WithoutCapabilities.NetBindService],
            () => HealthCheckResponder.Start(81, HealthCheckProtocol.Tcp, null, null)));

        Assert.Equal("CapturePermissionDenied", error.ErrorId);
    }
}
