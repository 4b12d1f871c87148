using System.Net;
using MirrorTools.Capture.Live;

namespace MirrorTools.Tests.Capture.Live;

public class CaptureOptionsTests
{
    private static readonly (string Parameter, CaptureOptions Options)[] InvalidCases =
    [
        ("-Port", new CaptureOptions { Ports = [70000] }),
        ("-Port", new CaptureOptions { Ports = [] }),
        ("-Count", new CaptureOptions { Count = 0 }),
        ("-Duration", new CaptureOptions { Duration = TimeSpan.Zero }),
        ("-SnapLength", new CaptureOptions { SnapLength = 10 }),
        ("-BufferSizeMB", new CaptureOptions { BufferSizeMB = 0 }),
        ("-MaxFiles", new CaptureOptions { MaxFiles = 3, MaxFileSizeBytes = 1000 }),
        ("-MaxFiles", new CaptureOptions { Path = "x.pcapng", MaxFiles = 3 }),
        ("-MaxFileSizeMB", new CaptureOptions { Path = "x.pcapng", MaxFileSizeBytes = 0 }),
        ("-Interface", new CaptureOptions { Listener = CaptureListener.Socket, Interface = "eth0" }),
        ("-CaptureFilter", new CaptureOptions { Listener = CaptureListener.Socket, CaptureFilter = "host 10.0.0.1" }),
        ("-HealthCheckRequest", new CaptureOptions { HealthCheckPort = 80, HealthCheckRequest = "request" }),
        ("-HealthCheckPort", new CaptureOptions { HealthCheckProtocol = HealthCheckProtocol.Udp, HealthCheckResponse = "response" }),
        ("-HealthCheckPort", new CaptureOptions { Listener = CaptureListener.Socket, HealthCheckPort = 4789, HealthCheckProtocol = HealthCheckProtocol.Udp }),
    ];

    public static IEnumerable<object[]> InvalidOptions => InvalidCases.Select((c, i) => new object[] { i, c.Parameter });

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Invalid_IsCaptureParameterInvalid_NamingTheParameter(int index, string parameter)
    {
        var error = Assert.Throws<MirrorToolsException>(InvalidCases[index].Options.Validate);
        Assert.Equal(CaptureOptions.InvalidErrorId, error.ErrorId);
        Assert.Equal(ProblemCategory.InvalidArgument, error.Category);
        Assert.StartsWith(parameter + " ", error.Message);
    }

    [Fact]
    public void RingBufferWithPath_IsValid() =>
        new CaptureOptions { Path = "x.pcapng", MaxFileSizeBytes = 1 << 20, MaxFiles = 5, Ports = [4789, 8472] }.Validate();

    [Theory]
    [InlineData(null, null, null)]
    [InlineData(null, "host 10.0.0.9", "host 10.0.0.9")]
    [InlineData("10.1.1.1", null, "dst host 10.1.1.1")]
    [InlineData("fd00::5", "not port 22", "dst host fd00::5 and (not port 22)")]
    public void LibpcapExtraFilter_CombinesLocalAddressAndCaptureFilter(string? local, string? filter, string? expected)
    {
        var options = new CaptureOptions { LocalAddress = local is null ? null : IPAddress.Parse(local), CaptureFilter = filter };
        Assert.Equal(expected, options.LibpcapExtraFilter());
    }
}
