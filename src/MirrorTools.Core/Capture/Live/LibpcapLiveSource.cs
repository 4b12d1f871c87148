using MirrorTools.Filtering;
using MirrorTools.Native;

namespace MirrorTools.Capture.Live;

/// <summary>
/// A live libpcap capture on one interface, filtered in the kernel to VXLAN traffic. Frames are
/// views over libpcap's buffer, valid until the next read. One thread reads; any thread may call
/// <see cref="Stop"/> (or cancel the token given to <see cref="Open"/>), which wakes a blocked read.
/// </summary>
internal sealed unsafe class LibpcapLiveSource : IDisposable
{
    private const long NanosecondsPerSecond = 1_000_000_000;
    private const long NanosecondsPerMicrosecond = 1_000;

    private readonly PcapHandle _handle;
    private readonly ReadWaiter? _waiter;
    private readonly TimeSpan _readTimeout;
    private readonly long _nanosecondsPerFraction;
    private CancellationTokenRegistration _cancellation;
    private volatile bool _stopRequested;
    private long _frameNumber;
    private PcapStat _lastCounters;
    private LibpcapStatistics _statistics;

    private LibpcapLiveSource(PcapHandle handle, ReadWaiter? waiter, TimeSpan readTimeout, string interfaceName,
        string filter, bool nanosecondTimestamps, IReadOnlyList<string> warnings)
    {
        _handle = handle;
        _waiter = waiter;
        _readTimeout = readTimeout;
        InterfaceName = interfaceName;
        Filter = filter;
        NanosecondTimestamps = nanosecondTimestamps;
        _nanosecondsPerFraction = nanosecondTimestamps ? 1 : NanosecondsPerMicrosecond;
        Warnings = warnings;
        LinkType = DataLinkTypes.ToLinkType(PcapNative.pcap_datalink(handle));
    }

    /// <summary>The device as libpcap names it (e.g. eth0, any, \Device\NPF_{...}).</summary>
    public string InterfaceName { get; }

    /// <summary>The outer link type of every frame (Ethernet; Linux SLL for the 'any' device).</summary>
    public LinkType LinkType { get; }

    /// <summary>The kernel filter in effect, in tcpdump syntax.</summary>
    public string Filter { get; }

    /// <summary>False when the platform only gives microseconds (timestamps are then whole µs).</summary>
    public bool NanosecondTimestamps { get; }

    /// <summary>What libpcap warned about while opening (e.g. promiscuous mode not supported).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Opens and activates <paramref name="interfaceName"/> with the VXLAN port filter (plus the
    /// options' capture filter). Cancelling <paramref name="cancellationToken"/> stops reading.
    /// </summary>
    /// <exception cref="MirrorToolsException">
    /// CaptureInterfaceNotFound, CapturePermissionDenied, CaptureInterfaceUnavailable,
    /// InvalidFilterExpression (the capture filter), LibpcapNotFound.
    /// </exception>
    public static LibpcapLiveSource Open(string interfaceName, LibpcapCaptureOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(interfaceName);
        options ??= new LibpcapCaptureOptions();
        var filter = VxlanCaptureFilter.Build(options.VxlanPorts, options.CaptureFilter);
        Libpcap.EnsureAvailable();

        var errorBuffer = stackalloc byte[PcapNative.ErrorBufferSize];
        var handle = PcapNative.pcap_create(interfaceName, errorBuffer);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw LibpcapOpenErrors.ForActivateStatus(PcapStatus.Error, interfaceName,
                PcapNative.ReadString(errorBuffer), ListInterfaceNames);
        }
        try
        {
            var nanosecond = Configure(handle, options);
            var warnings = Activate(handle, interfaceName);
            nanosecond &= ActivatedPrecisionIsNano(handle);
            SetFilter(handle, interfaceName, filter, options.CaptureFilter);
            var waiter = OperatingSystem.IsLinux() ? CreateWaiter(handle) : null;
            var source = new LibpcapLiveSource(handle, waiter, options.ReadTimeout, interfaceName, filter, nanosecond,
                warnings);
            source._cancellation = cancellationToken.Register(source.Stop);
            return source;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the next frame, waiting at most the read timeout. After <see cref="LiveReadResult.Stopped"/>
    /// every further call returns Stopped at once.
    /// </summary>
    /// <exception cref="MirrorToolsException">CaptureReadFailed when the interface fails mid-capture.</exception>
    public LiveReadResult ReadNext(out FrameRecord frame)
    {
        frame = default;
        void* header;
        byte* data;
        int status;
        var waited = false;
        while (true)
        {
            if (_stopRequested)
                return LiveReadResult.Stopped;
            status = PcapNative.pcap_next_ex(_handle, &header, &data);
            // Nothing buffered: with a waiter (non-blocking handle) wait once, then report a timeout.
            if (status != 0 || _waiter is null || waited)
                break;
            if (!_waiter.WaitForPackets(_readTimeout))
                return _stopRequested ? LiveReadResult.Stopped : LiveReadResult.Timeout;
            waited = true;
        }
        if (status == 1)
        {
            PcapPacketHeader.Read(header, out var seconds, out var fraction, out var capturedLength, out var length);
            frame = new FrameRecord(new ReadOnlySpan<byte>(data, capturedLength),
                seconds * NanosecondsPerSecond + fraction * _nanosecondsPerFraction, length, LinkType,
                ++_frameNumber, InterfaceName);
            return LiveReadResult.Frame;
        }
        if (status == 0)
            return _stopRequested ? LiveReadResult.Stopped : LiveReadResult.Timeout;
        if (status == PcapStatus.Break || _stopRequested)
        {
            _stopRequested = true;
            return LiveReadResult.Stopped;
        }
        throw LibpcapOpenErrors.ReadFailed(InterfaceName, PcapNative.LastError(_handle));
    }

    /// <summary>
    /// libpcap's counters since opening. Call it on the reading thread (between reads): libpcap
    /// does not promise pcap_stats is safe while another thread reads.
    /// </summary>
    public LibpcapStatistics GetStatistics()
    {
        PcapStat counters;
        if (PcapNative.pcap_stats(_handle, &counters) != 0)
            return _statistics;
        // Add the 32-bit deltas so a wrapped counter keeps counting up.
        _statistics = new LibpcapStatistics(
            _statistics.Received + unchecked(counters.Received - _lastCounters.Received),
            _statistics.Dropped + unchecked(counters.Dropped - _lastCounters.Dropped),
            _statistics.InterfaceDropped + unchecked(counters.InterfaceDropped - _lastCounters.InterfaceDropped));
        _lastCounters = counters;
        return _statistics;
    }

    /// <summary>Ends the capture: a blocked <see cref="ReadNext"/> returns Stopped. Thread-safe.</summary>
    public void Stop()
    {
        _stopRequested = true;
        _waiter?.Wake();
        try
        {
            PcapNative.pcap_breakloop(_handle);
        }
        catch (ObjectDisposedException)
        {
            // Already closed: nothing is reading.
        }
    }

    public void Dispose()
    {
        Stop();
        _cancellation.Dispose();
        _handle.Dispose();
        _waiter?.Dispose();
    }

    /// <summary>Sets everything pcap_activate reads; returns whether nanosecond stamps were accepted.</summary>
    private static bool Configure(PcapHandle handle, LibpcapCaptureOptions options)
    {
        PcapNative.pcap_set_snaplen(handle, options.SnapLength);
        PcapNative.pcap_set_promisc(handle, options.Promiscuous ? 1 : 0);
        PcapNative.pcap_set_buffer_size(handle, options.BufferSize);
        PcapNative.pcap_set_timeout(handle, Math.Max(1, (int)options.ReadTimeout.TotalMilliseconds));
        try
        {
            PcapNative.pcap_set_immediate_mode(handle, options.ImmediateMode ? 1 : 0);
            return PcapNative.pcap_set_tstamp_precision(handle, PcapNative.TimestampPrecisionNano) == 0;
        }
        catch (EntryPointNotFoundException)
        {
            return false; // libpcap before 1.5: buffered delivery and microseconds only.
        }
    }

    private static List<string> Activate(PcapHandle handle, string interfaceName)
    {
        var status = PcapNative.pcap_activate(handle);
        if (status < 0)
            throw LibpcapOpenErrors.ForActivateStatus(status, interfaceName, PcapNative.LastError(handle),
                ListInterfaceNames);
        var warnings = new List<string>();
        if (status > 0)
        {
            var message = PcapNative.LastError(handle);
            warnings.Add(string.IsNullOrEmpty(message) ? PcapNative.ReadString(PcapNative.pcap_statustostr(status)) ?? "" : message);
        }
        return warnings;
    }

    /// <summary>
    /// Makes the handle non-blocking and waits with poll() instead, so reads time out and stop
    /// reliably whatever the libpcap version (see <see cref="ReadWaiter"/>). Null keeps blocking reads.
    /// </summary>
    private static ReadWaiter? CreateWaiter(PcapHandle handle)
    {
        var waiter = ReadWaiter.Create(PcapNative.pcap_get_selectable_fd(handle));
        if (waiter is null)
            return null;
        var errorBuffer = stackalloc byte[PcapNative.ErrorBufferSize];
        if (PcapNative.pcap_setnonblock(handle, 1, errorBuffer) == 0)
            return waiter;
        waiter.Dispose();
        return null;
    }

    private static bool ActivatedPrecisionIsNano(PcapHandle handle)
    {
        try
        {
            return PcapNative.pcap_get_tstamp_precision(handle) == PcapNative.TimestampPrecisionNano;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static void SetFilter(PcapHandle handle, string interfaceName, string filter, string? userFilter)
    {
        BpfProgram program = default;
        int status;
        lock (PcapNative.CompileLock)
            status = PcapNative.pcap_compile(handle, &program, filter, optimize: 1, PcapNative.NetmaskUnknown);
        if (status != 0)
            throw BpfFilter.InvalidExpression(userFilter ?? filter, PcapNative.LastError(handle));
        try
        {
            if (PcapNative.pcap_setfilter(handle, &program) != 0)
                throw new MirrorToolsException(LibpcapOpenErrors.InterfaceUnavailableId,
                    ProblemCategory.ResourceUnavailable,
                    $"The capture filter '{filter}' could not be installed on '{interfaceName}': " +
                    $"{PcapNative.LastError(handle).TrimEnd('.')}.", interfaceName);
        }
        finally
        {
            PcapNative.pcap_freecode(&program);
        }
    }

    /// <summary>The interfaces worth suggesting: those that are up (libpcap also lists pseudo-devices
    /// such as nflog and dbus-system, which are down), or every one if none is up.</summary>
    private static IEnumerable<string> ListInterfaceNames()
    {
        var devices = CaptureInterfaces.List();
        var up = devices.Where(device => device.IsUp).ToList();
        return (up.Count > 0 ? up : devices).Select(device => device.Name);
    }
}
