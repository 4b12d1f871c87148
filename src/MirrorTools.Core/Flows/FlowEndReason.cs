namespace MirrorTools;

/// <summary>Why an <see cref="InnerFlow"/> was emitted.</summary>
public enum FlowEndReason
{
    /// <summary>TCP: both sides sent FIN, or one sent RST.</summary>
    Closed,

    /// <summary>No packet for the idle timeout.</summary>
    IdleTimeout,

    /// <summary>Emitted early to stay within -MaxFlows: later packets of it start a new flow.</summary>
    Evicted,

    /// <summary>Still open when the input ended.</summary>
    EndOfInput,

    /// <summary>
    /// Open longer than -ActiveTimeout (NetFlow's and IPFIX's active timeout): the record so far is
    /// emitted and the flow's later packets make its next record (same source, TCP state kept, FirstSeen the next packet's time), so a long transfer is reported while it lasts.
    /// </summary>
    ActiveTimeout,
}
