using MirrorTools.Filtering;
using MirrorTools.Native;
using SharpPcap;
using SharpPcap.LibPcap;

namespace MirrorTools.Capture.Live;

/// <summary>
/// A live libpcap capture on one interface, opened through SharpPcap and filtered in the kernel to
/// VXLAN traffic. Frames are views over libpcap's buffer, valid until the next read. One thread
/// reads; any thread may call <see cref="Stop"/> (or cancel the token given to <see cref="Open"/>),
/// which wakes a blocked read.
/// </summary>
/// <remarks>
/// Packets are read with SharpPcap's <c>GetNextPacketPointers</c> (pcap_next_ex, nothing allocated),
/// draining libpcap's buffer before waiting once with poll(). SharpPcap's <c>GetNextPacket</c> polls
/// and allocates for every packet and lost 32–56% above ~640k packets/s here; its event mode
/// (<c>OnPacketArrival</c>) allocates a header object per packet and runs its loop on its own
/// thread, where statistics, -Count and -Duration must be checked from the capture's thread.
/// </remarks>
internal sealed unsafe class LibpcapLiveSource : IDisposable
{
    private const long NanosecondsPerSecond = 1_000_000_000;
    private const long NanosecondsPerMicrosecond = 1_000;

    private readonly SelectableLiveDevice _device;
    // The handle as opened: after Close SharpPcap puts a shared invalid handle on the device, which
    // must never reach libpcap; this one is closed instead, and a call with it throws.
    private readonly PcapHandle _handle;
    private readonly ReadWaiter? _waiter;
    private readonly TimeSpan _readTimeout;
    private readonly long _nanosecondsPerFraction;
    private CancellationTokenRegistration _cancellation;
    private volatile bool _stopRequested;
    private long _frameNumber;
    private PcapStat _lastCounters;
    private LibpcapStatistics _statistics;

    private LibpcapLiveSource(SelectableLiveDevice device, ReadWaiter? waiter, TimeSpan readTimeout, string filter,
        bool nanosecondTimestamps, IReadOnlyList<string> warnings)
    {
        _device = device;
        _handle = device.Handle;
        _waiter = waiter;
        _readTimeout = readTimeout;
        InterfaceName = device.Name;
        Filter = filter;
        NanosecondTimestamps = nanosecondTimestamps;
        _nanosecondsPerFraction = nanosecondTimestamps ? 1 : NanosecondsPerMicrosecond;
        Warnings = warnings;
        LinkType = DataLinkTypes.ToLinkType((int)device.LinkType);
        // Counting starts with the filter in place: on Linux the kernel counts packets that arrived
        // between pcap_activate and pcap_setfilter (an IPv6 neighbour solicitation, say), which
        // libpcap then discards unread; counted, they would break received + dropped = sent.
        PcapStat baseline;
        if (PcapNative.pcap_stats(_handle, &baseline) == 0)
            _lastCounters = baseline;
    }

    /// <summary>The device as libpcap names it (e.g. eth0, any, \Device\NPF_{...}).</summary>
    public string InterfaceName { get; }

    /// <summary>The outer link type of every frame (Ethernet; Linux SLL for the 'any' device).</summary>
    public LinkType LinkType { get; }

    /// <summary>The kernel filter in effect, in tcpdump syntax.</summary>
    public string Filter { get; }

    /// <summary>False when the platform only gives microseconds (timestamps are then whole µs).</summary>
    public bool NanosecondTimestamps { get; }

    /// <summary>Settings libpcap refused while opening (e.g. the buffer size), as SharpPcap reported them.</summary>
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
        var devices = CaptureInterfaces.ListDevices();
        var listed = devices.FirstOrDefault(device => device.Name == interfaceName)
            ?? throw LibpcapOpenErrors.ForActivateStatus(PcapError.NoSuchDevice, interfaceName, "",
                () => SuggestedNames(devices));
        var device = new SelectableLiveDevice(listed.Interface!);
        try
        {
            var refused = OpenDevice(device, options, devices);
            var nanosecond = !refused.ContainsKey(nameof(DeviceConfiguration.TimestampResolution))
                && device.TimestampResolution == TimestampResolution.Nanosecond;
            refused.Remove(nameof(DeviceConfiguration.TimestampResolution));
            // Joined before the filter is set: libpcap discards what arrived before the filter, so
            // no packet counted from then on was also handed to a sibling before this one joined.
            options.Fanout?.Join(device.SelectableDescriptor, device.Name);
            SetFilter(device, filter, options.CaptureFilter);
            var waiter = OperatingSystem.IsLinux() ? CreateWaiter(device) : null;
            var source = new LibpcapLiveSource(device, waiter, options.ReadTimeout, filter, nanosecond,
                refused.Select(setting => $"{setting.Key}: {setting.Value}").ToList());
            source._cancellation = cancellationToken.Register(source.Stop);
            return source;
        }
        catch
        {
            device.Close();
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
        nint header = 0, data = 0;
        int status;
        var waited = false;
        while (true)
        {
            if (_stopRequested)
                return LiveReadResult.Stopped;
            ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
            status = _device.GetNextPacketPointers(ref header, ref data);
            // Nothing buffered: with a waiter (non-blocking handle) wait once, then report a timeout.
            if (status != 0 || _waiter is null || waited)
                break;
            if (!_waiter.WaitForPackets(_readTimeout))
                return _stopRequested ? LiveReadResult.Stopped : LiveReadResult.Timeout;
            waited = true;
        }
        if (status == 1)
        {
            PcapPacketHeader.Read((void*)header, out var seconds, out var fraction, out var capturedLength, out var length);
            frame = new FrameRecord(new ReadOnlySpan<byte>((void*)data, capturedLength),
                seconds * NanosecondsPerSecond + fraction * _nanosecondsPerFraction, length, LinkType,
                ++_frameNumber, InterfaceName);
            return LiveReadResult.Frame;
        }
        if (status == 0)
            return _stopRequested ? LiveReadResult.Stopped : LiveReadResult.Timeout;
        if (status == (int)PcapError.Break || _stopRequested)
        {
            _stopRequested = true;
            return LiveReadResult.Stopped;
        }
        throw LibpcapOpenErrors.ReadFailed(InterfaceName, _device.LastError);
    }

    /// <summary>
    /// libpcap's counters since the filter was set, from pcap_stats itself (SharpPcap's are wrong on 64-bit
    /// Unix: see <see cref="PcapNative.pcap_stats"/>). Call it on the reading thread (between
    /// reads): libpcap does not promise pcap_stats is safe while another thread reads.
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
        _device.Close();
        _waiter?.Dispose();
    }

    /// <summary>
    /// Creates, configures and activates the handle; returns the settings libpcap refused (by
    /// SharpPcap's property name) with libpcap's reason. Activation failures become MirrorTools errors.
    /// </summary>
    private static Dictionary<string, string> OpenDevice(SelectableLiveDevice device, LibpcapCaptureOptions options,
        IReadOnlyList<LibPcapLiveDevice> devices)
    {
        var configuration = new DeviceConfiguration
        {
            Mode = options.Promiscuous ? DeviceModes.Promiscuous : DeviceModes.None,
            Snaplen = options.SnapLength,
            BufferSize = options.BufferSize,
            ReadTimeout = Math.Max(1, (int)options.ReadTimeout.TotalMilliseconds),
            Immediate = options.ImmediateMode,
            TimestampResolution = TimestampResolution.Nanosecond,
        };
        var refused = new Dictionary<string, string>();
        // Without a handler SharpPcap throws on the first refused setting; libpcaps before 1.5
        // refuse nanosecond stamps, and the capture then goes on in microseconds.
        configuration.ConfigurationFailed += (_, failure) => refused[failure.Property] = failure.Message;
        try
        {
            device.Open(configuration);
            return refused;
        }
        catch (PcapException e)
        {
            // After a failed pcap_activate the handle is still open and holds libpcap's own message;
            // when pcap_create failed there is no handle, and SharpPcap's message carries the errbuf.
            var libpcapMessage = device.Opened ? device.LastError : e.Message;
            throw LibpcapOpenErrors.ForActivateStatus(e.Error, device.Name, libpcapMessage, () => SuggestedNames(devices));
        }
    }

    /// <summary>
    /// Makes the handle non-blocking and waits with poll() instead, so reads time out and stop
    /// reliably whatever the libpcap version (see <see cref="ReadWaiter"/>). Null keeps blocking reads.
    /// </summary>
    private static ReadWaiter? CreateWaiter(SelectableLiveDevice device)
    {
        var waiter = ReadWaiter.Create(device.SelectableDescriptor);
        if (waiter is null)
            return null;
        try
        {
            device.NonBlockingMode = true;
            return waiter;
        }
        catch (PcapException)
        {
            waiter.Dispose();
            return null;
        }
    }

    private static void SetFilter(SelectableLiveDevice device, string filter, string? userFilter)
    {
        // Compiled here first so that a bad expression is told apart from a filter the interface refuses.
        using (var program = BpfProgram.TryCreate(device.Handle, filter, optimize: 1, BpfFilter.NetmaskUnknown))
        {
            if (program is null)
                throw BpfFilter.InvalidExpression(userFilter ?? filter, device.LastError);
        }
        try
        {
            device.Filter = filter;
        }
        catch (PcapException)
        {
            throw new MirrorToolsException(LibpcapOpenErrors.InterfaceUnavailableId,
                ProblemCategory.ResourceUnavailable,
                $"The capture filter '{filter}' could not be installed on '{device.Name}': " +
                $"{device.LastError.TrimEnd('.')}.", device.Name);
        }
    }

    /// <summary>The interfaces worth suggesting: those that are up (libpcap also lists pseudo-devices
    /// such as nflog and dbus-system, which are down), or every one if none is up.</summary>
    private static IEnumerable<string> SuggestedNames(IReadOnlyList<LibPcapLiveDevice> devices)
    {
        var up = devices.Where(CaptureInterfaces.IsUp).ToList();
        return (up.Count > 0 ? up : devices).Select(device => device.Name);
    }
}
