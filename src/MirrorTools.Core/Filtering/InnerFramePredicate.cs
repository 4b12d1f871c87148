namespace MirrorTools.Filtering;

/// <summary>
/// A test on the inner Ethernet frame as captured, such as a libpcap BPF program
/// (<c>BpfFilter.Matches</c>): <paramref name="originalLength"/> is the frame's length on the wire.
/// </summary>
internal delegate bool InnerFramePredicate(ReadOnlySpan<byte> frame, int originalLength);
