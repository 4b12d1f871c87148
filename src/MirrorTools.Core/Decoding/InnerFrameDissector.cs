using PacketDotNet;

namespace MirrorTools.Decoding;

/// <summary>
/// PacketDotNet's object model of an inner Ethernet frame, for <see cref="InnerPacket.Packet"/>.
/// Never on the decode path: PacketDotNet is ~6x slower than MirrorTools' decoder and allocates
/// ~2 KB per packet.
/// </summary>
/// <remarks>
/// PacketDotNet parses each layer lazily and trusts length fields, so on a truncated or malformed
/// frame it throws (IndexOutOfRangeException and others) later, from whatever property is read:
/// a snaplen-cut TCP segment throws from <c>Extract&lt;TcpPacket&gt;()</c> or <c>ToString()</c>. Here
/// every layer is parsed and rendered once up front; the first layer that does not is replaced by
/// its bytes as the payload of the layer above, so what comes back never throws when read. This
/// is the one place that catches a library's exceptions: it is PacketDotNet's parse that fails,
/// not MirrorTools' decode, which has already classified the packet (Status, StopReason).
/// </remarks>
internal static class InnerFrameDissector
{
    /// <summary>
    /// The layers PacketDotNet can parse, outermost (Ethernet) first; a layer that cannot be parsed
    /// is left as its parent's <c>PayloadData</c>. Null when not even the Ethernet header renders.
    /// </summary>
    public static Packet? Parse(byte[] frame)
    {
        Packet ethernet;
        try
        {
            ethernet = Packet.ParsePacket(LinkLayers.Ethernet, frame);
        }
        catch (Exception)
        {
            return null;
        }
        var layers = ParsedLayers(ethernet);
        // Bottom-up: a layer's rendering includes its payload's, so the deepest failure is cut first.
        for (var depth = layers.Count - 1; depth > 0; depth--)
        {
            if (Renders(layers[depth]))
                return ethernet;
            if (!TryKeepAsBytes(layers[depth - 1], layers[depth], frame))
                return null;
        }
        return Renders(ethernet) ? ethernet : null;
    }

    /// <summary>Parses the payload chain down to the first layer that fails to parse (excluded).</summary>
    private static List<Packet> ParsedLayers(Packet outermost)
    {
        var layers = new List<Packet> { outermost };
        try
        {
            for (var next = outermost.PayloadPacket; next is not null; next = next.PayloadPacket)
                layers.Add(next);
        }
        catch (Exception)
        {
            // This payload cannot be parsed; the layers above it stay.
        }
        return layers;
    }

    /// <summary>Whether every field PacketDotNet shows (its verbose text, the bytes) reads without throwing.</summary>
    private static bool Renders(Packet packet)
    {
        try
        {
            _ = packet.ToString(StringOutputType.Verbose);
            _ = packet.Bytes;
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <summary>Makes <paramref name="failed"/>'s bytes (to the end of the frame) the plain payload of <paramref name="parent"/>.</summary>
    private static bool TryKeepAsBytes(Packet parent, Packet failed, byte[] frame)
    {
        try
        {
            parent.PayloadData = frame[Math.Min(frame.Length, failed.HeaderSegment.Offset)..];
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }
}
