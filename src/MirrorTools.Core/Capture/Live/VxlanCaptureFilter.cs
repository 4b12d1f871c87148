namespace MirrorTools.Capture.Live;

/// <summary>The capture (kernel BPF) filter that keeps mirror traffic and nothing else.</summary>
internal static class VxlanCaptureFilter
{
    public const int DefaultVxlanPort = 4789;

    /// <summary>
    /// Non-first IPv4 fragments carry no UDP header, so a port filter alone drops them and a
    /// mirror packet fragmented on the way (9001-byte mirror MTU into a 1500-byte path) could
    /// never be reassembled. They are kept; the decoder reassembles or reports them.
    /// </summary>
    public const string NonFirstIpv4Fragments = "(ip[6:2] & 0x1fff != 0)";

    /// <summary>
    /// "udp dst port 4789 or (ip[6:2] &amp; 0x1fff != 0)" for the given ports, with
    /// <paramref name="extraFilter"/> ANDed on when given. Only the destination port counts:
    /// outer source ports are flow hashes.
    /// </summary>
    public static string Build(IReadOnlyList<int> vxlanPorts, string? extraFilter)
    {
        ArgumentNullException.ThrowIfNull(vxlanPorts);
        if (vxlanPorts.Count == 0)
            throw new ArgumentException("At least one VXLAN port is needed.", nameof(vxlanPorts));
        foreach (var port in vxlanPorts)
        {
            if (port is < 1 or > 65535)
                throw new ArgumentOutOfRangeException(nameof(vxlanPorts), port, "A UDP port is between 1 and 65535.");
        }

        var ports = string.Join(" or ", vxlanPorts.Distinct().Select(port => $"udp dst port {port}"));
        var mirrorTraffic = $"{ports} or {NonFirstIpv4Fragments}";
        return string.IsNullOrWhiteSpace(extraFilter) ? mirrorTraffic : $"({mirrorTraffic}) and ({extraFilter})";
    }
}
