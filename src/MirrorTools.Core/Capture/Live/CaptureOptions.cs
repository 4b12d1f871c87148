using System.Net;
using System.Net.Sockets;

namespace MirrorTools.Capture.Live;

/// <summary>What <c>Start-VxlanCapture</c> was asked to do; <see cref="Validate"/> checks it before anything opens.</summary>
internal sealed class CaptureOptions
{
    public const int DefaultVxlanPort = 4789;
    public const int DefaultSnapLength = 262144; // tcpdump's default: whole GRO-merged frames fit
    public const int DefaultBufferSizeMB = 32;
    public const int MaxBufferSizeMB = 2047;
    public const string InvalidErrorId = "CaptureParameterInvalid";
    public const int MaxWorkers = 1024;

    /// <summary>Null: libpcap where it is installed, else the socket listener.</summary>
    public CaptureListener? Listener { get; init; }

    /// <summary>Null: the interface of the default route (libpcap only).</summary>
    public string? Interface { get; init; }

    public IReadOnlyList<int> Ports { get; init; } = [DefaultVxlanPort];

    /// <summary>Only traffic to this address: the socket binds it; libpcap adds <c>dst host</c>.</summary>
    public IPAddress? LocalAddress { get; init; }

    /// <summary>Extra BPF (tcpdump syntax) on the outer packets, and-ed with the port filter (libpcap only).</summary>
    public string? CaptureFilter { get; init; }

    public int SnapLength { get; init; } = DefaultSnapLength;
    public int BufferSizeMB { get; init; } = DefaultBufferSizeMB;
    public long? Count { get; init; }
    public TimeSpan? Duration { get; init; }

    /// <summary>Write the raw outer frames to pcapng here (rotated when the size limit is set).</summary>
    public string? Path { get; init; }

    /// <summary>Rotate to a new file past this many bytes (the cmdlet's -MaxFileSizeMB, in bytes so tests can go tiny).</summary>
    public long? MaxFileSizeBytes { get; init; }

    /// <summary>Replace an existing file at <see cref="Path"/> (without rotation) instead of failing.</summary>
    public bool Overwrite { get; init; }

    /// <summary>Keep at most this many files, deleting the oldest (ring buffer).</summary>
    public int? MaxFiles { get; init; }

    /// <summary>Hand every frame to the caller as a <see cref="CapturedFrame"/> (copying it); off for -Path without -PassThru.</summary>
    public bool EmitFrames { get; init; } = true;

    /// <summary>
    /// Capture threads, each with its own socket or libpcap handle and its share of the flows
    /// (SO_REUSEPORT or PACKET_FANOUT, Linux only). Their outputs merge into one stream.
    /// </summary>
    public int Workers { get; init; } = 1;

    /// <summary>The default for -Workers: a worker per core where the kernel can spread flows over them (Linux), else one.</summary>
    public static int DefaultWorkers => OperatingSystem.IsLinux() ? Environment.ProcessorCount : 1;

    public int? HealthCheckPort { get; init; }
    public HealthCheckProtocol HealthCheckProtocol { get; init; } = HealthCheckProtocol.Tcp;
    public string? HealthCheckRequest { get; init; }
    public string? HealthCheckResponse { get; init; }

    public int BufferSizeBytes => BufferSizeMB * 1024 * 1024;

    /// <summary>
    /// The extra outer filter for libpcap (which adds the VXLAN port filter itself): -CaptureFilter,
    /// narrowed to -LocalAddress as destination when given. Null when neither is set.
    /// </summary>
    public string? LibpcapExtraFilter()
    {
        var user = string.IsNullOrWhiteSpace(CaptureFilter) ? null : CaptureFilter;
        if (LocalAddress is null)
            return user;
        var host = $"dst host {LocalAddress}";
        return user is null ? host : $"{host} and ({user})";
    }

    /// <exception cref="MirrorToolsException"><see cref="InvalidErrorId"/>, naming the parameter and what to do.</exception>
    public void Validate()
    {
        if (Ports.Count == 0)
            throw Invalid("-Port", "Give at least one UDP port (VXLAN is 4789; Linux's own VXLAN default is 8472).", Ports);
        foreach (var port in Ports)
        {
            if (port is < 0 or > 65535) // 0 (the OS chooses) is for tests; the cmdlet takes 1 to 65535
                throw Invalid("-Port", $"{port} is not a UDP port: use 1 to 65535.", port);
        }
        if (Count is <= 0)
            throw Invalid("-Count", "Give a count of 1 or more, or leave it out to capture until stopped.", Count);
        if (Duration is { } duration && duration <= TimeSpan.Zero)
            throw Invalid("-Duration", "Give a positive duration such as 00:05:00, or leave it out.", duration);
        if (SnapLength is < 64 or > DefaultSnapLength)
            throw Invalid("-SnapLength", $"Use 64 to {DefaultSnapLength} bytes (enough for the outer and inner headers).", SnapLength);
        if (BufferSizeMB is < 1 or > MaxBufferSizeMB)
            throw Invalid("-BufferSizeMB", $"Use 1 to {MaxBufferSizeMB} MB.", BufferSizeMB);
        if (Path is null && (MaxFileSizeBytes is not null || MaxFiles is not null))
            throw Invalid(MaxFiles is not null ? "-MaxFiles" : "-MaxFileSizeMB", "Rotation needs -Path: give the capture file to rotate.", MaxFiles ?? MaxFileSizeBytes);
        if (MaxFileSizeBytes is <= 0)
            throw Invalid("-MaxFileSizeMB", "Give a size of 1 MB or more.", MaxFileSizeBytes);
        if (MaxFiles is <= 0)
            throw Invalid("-MaxFiles", "Keep at least 1 file.", MaxFiles);
        if (MaxFiles is not null && MaxFileSizeBytes is null)
            throw Invalid("-MaxFiles", "A ring buffer needs -MaxFileSizeMB too: files rotate when they reach that size.", MaxFiles);
        if (Workers is < 1 or > MaxWorkers)
            throw Invalid("-Workers", $"Use 1 to {MaxWorkers} workers (a worker per core is the default).", Workers);
        if (Workers > 1 && !OperatingSystem.IsLinux())
            throw Invalid("-Workers", "Several workers need Linux (SO_REUSEPORT, PACKET_FANOUT): use -Workers 1 here.", Workers);
        if (Listener == CaptureListener.Socket && Interface is not null)
            throw Invalid("-Interface", "The socket listener receives on every interface: narrow it with -LocalAddress, or use -Listener Libpcap.", Interface);
        if (Listener == CaptureListener.Socket && !string.IsNullOrWhiteSpace(CaptureFilter))
            throw Invalid("-CaptureFilter", "A capture filter needs libpcap: use -Listener Libpcap, or filter the inner packets with Get-InnerPacket -Filter.", CaptureFilter);
        if (LocalAddress is { AddressFamily: not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6) })
            throw Invalid("-LocalAddress", "Give an IPv4 or IPv6 address of this host.", LocalAddress);
        if (HealthCheckPort is { } healthPort && (healthPort is < 0 or > 65535))
            throw Invalid("-HealthCheckPort", $"{healthPort} is not a port: use 1 to 65535.", healthPort);
        if (HealthCheckProtocol == HealthCheckProtocol.Tcp && (HealthCheckRequest is not null || HealthCheckResponse is not null))
            throw Invalid(HealthCheckRequest is not null ? "-HealthCheckRequest" : "-HealthCheckResponse",
                "A TCP health check is answered by accepting the connection: use -HealthCheckProtocol Udp for request/response checks.",
                HealthCheckRequest ?? HealthCheckResponse);
        if (HealthCheckPort is null && (HealthCheckRequest is not null || HealthCheckResponse is not null))
            throw Invalid("-HealthCheckPort", "Give the port the health check probes.", null);
        if (HealthCheckPort is { } busyPort && Listener == CaptureListener.Socket && HealthCheckProtocol == HealthCheckProtocol.Udp
            && Ports.Contains(busyPort))
            throw Invalid("-HealthCheckPort", $"UDP port {busyPort} is the capture port: the health check needs a port of its own.", busyPort);
    }

    private static MirrorToolsException Invalid(string parameter, string remedy, object? value) =>
        new(InvalidErrorId, ProblemCategory.InvalidArgument, $"{parameter} {Describe(value)}is not valid. {remedy}", value);

    private static string Describe(object? value) => value switch
    {
        null => "",
        IEnumerable<int> ports => $"'{string.Join(",", ports)}' ",
        _ => $"'{value}' ",
    };
}
