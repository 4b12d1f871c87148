namespace MirrorTools;

/// <summary>How far an inner packet could be decoded.</summary>
public enum PacketStatus
{
    /// <summary>Every header decoded and every byte captured.</summary>
    Ok,
    /// <summary>Headers whole as far as they go, bytes cut (snaplen, an AWS session's PacketLength): CapturedLength &lt; Length.</summary>
    Truncated,
    /// <summary>A header is impossible; StopReason names the layer and offset.</summary>
    Malformed,
}
