using MirrorTools.Native;
using PacketDotNet;
using SharpPcap;
using BpfProgram = SharpPcap.LibPcap.BpfProgram;

namespace MirrorTools.Filtering;

/// <summary>
/// A tcpdump-syntax filter (pcap-filter(7)) compiled once by libpcap through SharpPcap and run on
/// frames in memory with pcap_offline_filter: the -Filter of Get-InnerPacket, applied to the inner
/// frame. Matching allocates nothing and may run on several threads at once.
/// </summary>
internal sealed unsafe class BpfFilter : IDisposable
{
    public const string InvalidExpressionId = "InvalidFilterExpression";

    /// <summary>PCAP_NETMASK_UNKNOWN: only 'ip broadcast' needs a netmask, and it then fails clearly.</summary>
    internal const uint NetmaskUnknown = 0xffffffff;

    private readonly BpfProgram _program;

    private BpfFilter(string expression, BpfProgram program)
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
    public static BpfFilter Compile(string expression, LinkType linkType = LinkType.Ethernet)
    {
        ArgumentNullException.ThrowIfNull(expression);
        Libpcap.EnsureAvailable();
        try
        {
            // SharpPcap serialises pcap_compile itself where libpcap needs it (before 1.8).
            var program = BpfProgram.Create((LinkLayers)DataLinkTypes.ToDataLinkType(linkType), expression, optimize: 1,
                NetmaskUnknown);
            return new BpfFilter(expression, program);
        }
        catch (PcapException e)
        {
            // SharpPcap's message is libpcap's pcap_geterr text, as is.
            throw InvalidExpression(expression, e.Message);
        }
    }

    /// <summary>
    /// True when the frame passes. <paramref name="frame"/> is the captured bytes,
    /// <paramref name="originalLength"/> the length on the wire (they differ when truncated).
    /// </summary>
    public bool Matches(ReadOnlySpan<byte> frame, int originalLength)
    {
        ObjectDisposedException.ThrowIf(_program.IsClosed, this);
        PcapPacketHeader.Storage header;
        PcapPacketHeader.Write(&header, frame.Length, Math.Max(originalLength, frame.Length));
        // The program stays valid during the call: it is freed only by Dispose, which callers
        // make after the last match (the reader owns its filter).
        fixed (byte* packet = frame)
            return PcapNative.pcap_offline_filter((void*)_program.DangerousGetHandle(), &header, packet) != 0;
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

    public void Dispose() => _program.Dispose();
}
