using System.Runtime.InteropServices;
using MirrorTools.Native;

namespace MirrorTools.Filtering;

/// <summary>
/// A tcpdump-syntax filter (pcap-filter(7)) compiled once by libpcap and run on frames in memory
/// with pcap_offline_filter: the -Filter of Get-InnerPacket, applied to the inner frame.
/// Matching allocates nothing and may run on several threads at once.
/// </summary>
internal sealed unsafe class BpfFilter : IDisposable
{
    public const string InvalidExpressionId = "InvalidFilterExpression";
    public const int DefaultSnapLength = 262144;

    private BpfProgram* _program;

    private BpfFilter(string expression, BpfProgram* program)
    {
        Expression = expression;
        _program = program;
    }

    /// <summary>The expression as the user wrote it.</summary>
    public string Expression { get; }

    /// <summary>Compiles <paramref name="expression"/> for frames of <paramref name="linkType"/>.</summary>
    /// <exception cref="MirrorToolsException">
    /// InvalidFilterExpression (InvalidArgument) quoting libpcap's message; LibpcapNotFound.
    /// </exception>
    public static BpfFilter Compile(string expression, LinkType linkType = LinkType.Ethernet,
        int snapLength = DefaultSnapLength)
    {
        ArgumentNullException.ThrowIfNull(expression);
        Libpcap.EnsureAvailable();
        using var dead = PcapNative.pcap_open_dead(DataLinkTypes.ToDataLinkType(linkType), snapLength);
        if (dead.IsInvalid)
            throw new InvalidOperationException($"pcap_open_dead refused link type {linkType} and snap length {snapLength}.");

        var program = (BpfProgram*)NativeMemory.AllocZeroed((nuint)sizeof(BpfProgram));
        int status;
        lock (PcapNative.CompileLock)
            status = PcapNative.pcap_compile(dead, program, expression, optimize: 1, PcapNative.NetmaskUnknown);
        if (status != 0)
        {
            NativeMemory.Free(program);
            throw InvalidExpression(expression, PcapNative.LastError(dead));
        }
        return new BpfFilter(expression, program);
    }

    /// <summary>
    /// True when the frame passes. <paramref name="frame"/> is the captured bytes,
    /// <paramref name="originalLength"/> the length on the wire (they differ when truncated).
    /// </summary>
    public bool Matches(ReadOnlySpan<byte> frame, int originalLength)
    {
        ObjectDisposedException.ThrowIf(_program is null, this);
        PcapPacketHeader.Storage header;
        PcapPacketHeader.Write(&header, frame.Length, Math.Max(originalLength, frame.Length));
        fixed (byte* packet = frame)
            return PcapNative.pcap_offline_filter(_program, &header, packet) != 0;
    }

    /// <summary>The error for an expression libpcap rejected, quoting libpcap's reason.</summary>
    internal static MirrorToolsException InvalidExpression(string expression, string libpcapMessage)
    {
        // libpcap prefixes its parser's complaint; the message already says it is about the expression.
        const string parserPrefix = "can't parse filter expression: ";
        var reason = libpcapMessage.StartsWith(parserPrefix, StringComparison.Ordinal)
            ? libpcapMessage[parserPrefix.Length..]
            : libpcapMessage;
        return new MirrorToolsException(InvalidExpressionId, ProblemCategory.InvalidArgument,
            $"The filter '{expression}' is not valid tcpdump syntax: {reason.TrimEnd('.')}. See 'man pcap-filter'.",
            expression);
    }

    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    ~BpfFilter() => Release();

    private void Release()
    {
        if (_program is null)
            return;
        PcapNative.pcap_freecode(_program);
        NativeMemory.Free(_program);
        _program = null;
    }
}
