using System.Buffers;
using System.Globalization;

namespace MirrorTools.Decoding;

/// <summary>
/// Reassembles outer IPv4 fragments (a 9001-MTU mirror crossing a 1500-MTU path) keyed by
/// source, destination, identification and protocol (RFC 791). Memory is bounded: at most
/// <see cref="MaxDatagrams"/> datagrams in progress, each in one pooled 64 KiB buffer, and a
/// datagram not completed within <see cref="Timeout"/> of packet time (Linux's ipfrag_time) is
/// given up and reported. Exact duplicate fragments are ignored; a fragment that overlaps another
/// differently discards the datagram, as Linux does since the FragmentSmack fixes.
/// </summary>
internal sealed class Ipv4Reassembler : IDisposable
{
    public const string IncompleteErrorId = "OuterFragmentIncomplete";
    public const string RejectedErrorId = "OuterFragmentRejected";
    public const int MaxDatagrams = 256;
    public static readonly long Timeout = 30L * 1_000_000_000;
    private const long ExpiryScanInterval = 1_000_000_000;
    private const int MaxDatagramLength = ushort.MaxValue;
    /// <summary>The first fragment's header goes just before the payload, so the result is one contiguous datagram.</summary>
    private const int HeaderRoom = Ipv4Header.MaxLength;

    private readonly Dictionary<FragmentKey, Pending> _pending = new();
    private readonly Queue<MirrorToolsException> _problems = new();
    private long _lastExpiryScan = long.MinValue;

    /// <summary>Problems found while adding fragments (overlaps, timeouts); take them after each call.</summary>
    public bool TryTakeProblem(out MirrorToolsException problem) => _problems.TryDequeue(out problem!);

    /// <summary>
    /// Adds one fragment: <paramref name="packet"/> starts at its IPv4 header and holds what was captured.
    /// Returns true with the whole datagram when this fragment completed it; the caller must
    /// <see cref="ReassembledDatagram.Dispose"/> it.
    /// </summary>
    /// <param name="notTunnel">The caller saw in a first fragment that the datagram is no tunnel: if it
    /// never completes, that is not worth a report.</param>
    public bool TryAdd(ReadOnlySpan<byte> packet, long timestampNanoseconds, long frameNumber, string source, bool notTunnel,
        out ReassembledDatagram datagram)
    {
        datagram = default;
        ExpireOld(timestampNanoseconds);
        if (!Ipv4Header.TryRead(packet, out var ip) || ip.HeaderLength < Ipv4Header.MinLength || ip.HeaderLength > packet.Length)
            return false;
        var headerLength = ip.HeaderLength;
        var key = new FragmentKey(RawIpAddress.FromIpv4(ip.Source), RawIpAddress.FromIpv4(ip.Destination), ip.Identification, ip.Protocol);
        var declaredEnd = ip.TotalLength == 0 ? packet.Length : Math.Min(ip.TotalLength, packet.Length);
        var data = packet[headerLength..Math.Max(headerLength, declaredEnd)];
        var start = ip.FragmentOffset;
        var end = start + (ip.TotalLength == 0 ? data.Length : ip.TotalLength - headerLength);

        if (!_pending.TryGetValue(key, out var entry))
        {
            if (_pending.Count >= MaxDatagrams)
                GiveUp(Oldest(), "too many datagrams were waiting for fragments at once");
            entry = new Pending(key, timestampNanoseconds, source);
            _pending.Add(key, entry);
        }
        entry.FrameNumbers.Add(frameNumber);
        entry.NotTunnel |= notTunnel;

        if (headerLength + end > MaxDatagramLength)
        {
            Reject(entry, $"the fragment at offset {start} ends at byte {headerLength + end}, past the 65535-byte IPv4 limit");
            return false;
        }
        if (!ip.MoreFragments)
        {
            if (entry.TotalPayload >= 0 && entry.TotalPayload != end)
            {
                Reject(entry, $"two last fragments disagree on the length ({entry.TotalPayload} and {end} bytes)");
                return false;
            }
            entry.TotalPayload = end;
        }
        if (start == 0)
        {
            entry.HeaderLength = headerLength;
            packet[..headerLength].CopyTo(entry.Buffer.AsSpan(HeaderRoom - headerLength));
        }
        // Only captured bytes count as received; a fragment cut by snaplen leaves a hole.
        var receivedEnd = start + data.Length;
        switch (entry.AddRange(start, receivedEnd))
        {
            case RangeAdd.Duplicate:
                return false;
            case RangeAdd.Overlap:
                Reject(entry, $"the fragment at offset {start} overlaps another with different bounds");
                return false;
        }
        data.CopyTo(entry.Buffer.AsSpan(HeaderRoom + start));

        if (entry.HeaderLength == 0 || entry.TotalPayload < 0 || !entry.Covers(entry.TotalPayload))
            return false;
        _pending.Remove(key);
        var headerStart = HeaderRoom - entry.HeaderLength;
        var length = entry.HeaderLength + entry.TotalPayload;
        Ipv4Header.MarkReassembled(entry.Buffer.AsSpan(headerStart), length);
        datagram = new ReassembledDatagram(entry.Buffer, headerStart, length);
        return true;
    }

    /// <summary>End of input: every datagram still waiting is reported incomplete and released.</summary>
    public void Flush()
    {
        while (_pending.Count > 0)
            GiveUp(Oldest(), "the input ended before its other fragments arrived");
    }

    public void Dispose()
    {
        foreach (var entry in _pending.Values)
            ArrayPool<byte>.Shared.Return(entry.Buffer);
        _pending.Clear();
    }

    private void ExpireOld(long now)
    {
        if (_pending.Count == 0 || (_lastExpiryScan != long.MinValue && now - _lastExpiryScan < ExpiryScanInterval))
            return;
        _lastExpiryScan = now;
        List<Pending>? expired = null;
        foreach (var entry in _pending.Values)
        {
            if (now - entry.FirstSeen > Timeout)
                (expired ??= new()).Add(entry);
        }
        if (expired is null)
            return;
        foreach (var entry in expired)
            GiveUp(entry, $"its other fragments did not arrive within {Timeout / 1_000_000_000} seconds");
    }

    private Pending Oldest()
    {
        Pending? oldest = null;
        foreach (var entry in _pending.Values)
        {
            if (oldest is null || entry.FirstSeen < oldest.FirstSeen)
                oldest = entry;
        }
        return oldest!;
    }

    private void GiveUp(Pending entry, string why)
    {
        Release(entry);
        if (entry.NotTunnel)
            return;
        var received = entry.ReceivedBytes;
        var total = entry.TotalPayload >= 0 ? entry.TotalPayload.ToString(CultureInfo.InvariantCulture) : "an unknown number of";
        _problems.Enqueue(new MirrorToolsException(IncompleteErrorId, ProblemCategory.InvalidData,
            $"{Describe(entry)}: only {received} of {total} payload bytes arrived, and {why}; the datagram is skipped. " +
            "If the capture had a filter, keep non-first fragments too: 'udp dst port 4789 or (ip[6:2] & 0x1fff != 0)'.",
            entry.Source));
    }

    private void Reject(Pending entry, string why)
    {
        Release(entry);
        _problems.Enqueue(new MirrorToolsException(RejectedErrorId, ProblemCategory.InvalidData,
            $"{Describe(entry)}: {why}; the datagram is skipped, as the Linux kernel would drop it.", entry.Source));
    }

    private void Release(Pending entry)
    {
        _pending.Remove(entry.Key);
        ArrayPool<byte>.Shared.Return(entry.Buffer);
    }

    private static string Describe(Pending entry) =>
        $"{FrameList(entry.FrameNumbers)} of {entry.Source}: outer IPv4 fragments of datagram {entry.Key.Source} > " +
        $"{entry.Key.Destination} id 0x{entry.Key.Identification:x4} (protocol {entry.Key.Protocol})";

    private static string FrameList(List<long> frames)
    {
        const int Shown = 10;
        var text = (frames.Count == 1 ? "frame " : "frames ") + string.Join(", ", frames.Take(Shown));
        return frames.Count > Shown ? $"{text} (plus {frames.Count - Shown} more)" : text;
    }

    private readonly record struct FragmentKey(RawIpAddress Source, RawIpAddress Destination, ushort Identification, byte Protocol);

    private enum RangeAdd { Added, Duplicate, Overlap }

    private sealed class Pending(FragmentKey key, long firstSeen, string source)
    {
        private readonly List<(int Start, int End)> _ranges = new();

        public FragmentKey Key { get; } = key;
        public long FirstSeen { get; } = firstSeen;
        public string Source { get; } = source;
        public byte[] Buffer { get; } = ArrayPool<byte>.Shared.Rent(HeaderRoom + MaxDatagramLength);
        public List<long> FrameNumbers { get; } = new();
        public int HeaderLength { get; set; }
        public bool NotTunnel { get; set; }
        /// <summary>Payload length, known once the last fragment (MF clear) arrives; -1 before.</summary>
        public int TotalPayload { get; set; } = -1;

        public int ReceivedBytes => _ranges.Sum(r => r.End - r.Start);

        public RangeAdd AddRange(int start, int end)
        {
            foreach (var (s, e) in _ranges)
            {
                if (s == start && e == end)
                    return RangeAdd.Duplicate;
                if (start < e && s < end)
                    return RangeAdd.Overlap;
            }
            if (end > start)
                _ranges.Add((start, end));
            return RangeAdd.Added;
        }

        public bool Covers(int length)
        {
            _ranges.Sort();
            var covered = 0;
            foreach (var (s, e) in _ranges)
            {
                if (s > covered)
                    return false;
                covered = Math.Max(covered, e);
            }
            return covered >= length;
        }
    }
}

/// <summary>A reassembled datagram in a pooled buffer; dispose it to return the buffer.</summary>
internal readonly struct ReassembledDatagram(byte[] buffer, int offset, int length) : IDisposable
{
    public ReadOnlySpan<byte> Bytes => buffer.AsSpan(offset, length);

    public void Dispose()
    {
        if (buffer is not null)
            ArrayPool<byte>.Shared.Return(buffer);
    }
}
