namespace MirrorTools.Capture;

/// <summary>
/// Removes a trailing frame check sequence that a capture file declares (pcap's link-type FCS bits,
/// pcapng's if_fcslen), so every source hands decoders frames without FCS.
/// </summary>
internal static class FrameCheckSequence
{
    /// <summary>
    /// The FCS is the last <paramref name="fcsLength"/> bytes on the wire; a snaplen cut may already
    /// have dropped some or all of it from the captured bytes.
    /// </summary>
    public static void Strip(int fcsLength, ref ReadOnlySpan<byte> data, ref int originalLength)
    {
        if (fcsLength == 0)
            return;
        originalLength = Math.Max(originalLength - fcsLength, 0);
        if (data.Length > originalLength)
            data = data[..originalLength];
    }
}
