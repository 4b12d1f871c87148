using System.Text;

namespace MirrorTools.Tests.Lab;

/// <summary>
/// The traffic in <c>tests/data/sample-mirror.pcap</c>: what a small web server behind an AWS
/// mirror session sees, recorded on the capture host with tcpdump. One definition serves the
/// generator and the tests that check the committed file still holds exactly this.
/// </summary>
internal static class SampleMirrorTraffic
{
    public const int Vni = 4242;
    public const int PingCount = 3;
    public const int PingPayloadSize = 300;
    public const int PingV6Count = 2;
    public const int PingV6PayloadSize = 56;
    public const int HttpPort = 80;
    public const int DnsPort = 53;
    public const int DnsExchangeCount = 2;

    /// <summary>The capture filter an admin uses on a mirror target (and the one DESIGN.md
    /// recommends: non-first outer IPv4 fragments carry no UDP header).</summary>
    public const string CaptureFilter = "udp dst port 4789 or (ip[6:2] & 0x1fff != 0)";

    public const string HttpRequest = "GET /index.html HTTP/1.1\r\nHost: 10.203.1.2\r\nUser-Agent: MirrorTools-lab\r\nAccept: */*\r\n\r\n";
    public const string HttpResponse = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\nConnection: close\r\n\r\nhello, mirror";

    /// <summary>A DNS query for www.example.test, type A (RFC 1035 wire format).</summary>
    public static byte[] DnsQuery(ushort id) => Dns(id, response: false);

    /// <summary>Its answer: 192.0.2.80 (TEST-NET-1), TTL 60.</summary>
    public static byte[] DnsAnswer(ushort id) => Dns(id, response: true);

    /// <summary>Records the sample traffic through a fresh kernel mirror lab into <paramref name="path"/>.</summary>
    public static void Record(string path)
    {
        using var lab = KernelMirrorLab.Create(new KernelMirrorLabOptions { Vni = Vni });
        using var recording = lab.StartCaptureHostTcpdump(path, CaptureFilter);
        lab.Ping(PingCount, PingPayloadSize);
        lab.ExchangeTcp(HttpRequest, HttpResponse, HttpPort);
        for (ushort id = 1; id <= DnsExchangeCount; id++)
            lab.ExchangeUdp(DnsQuery(id), DnsAnswer(id), DnsPort);
        lab.PingV6(PingV6Count, PingV6PayloadSize);
        recording.Stop();
    }

    private static byte[] Dns(ushort id, bool response)
    {
        var message = new List<byte>();
        void Add16(int value) { message.Add((byte)(value >> 8)); message.Add((byte)value); }
        Add16(id);
        Add16(response ? 0x8180 : 0x0100);  // standard query, recursion desired (and available)
        Add16(1);                             // questions
        Add16(response ? 1 : 0);              // answers
        Add16(0);
        Add16(0);
        foreach (var label in "www.example.test".Split('.'))
        {
            message.Add((byte)label.Length);
            message.AddRange(Encoding.ASCII.GetBytes(label));
        }
        message.Add(0);
        Add16(1);                             // type A
        Add16(1);                             // class IN
        if (response)
        {
            Add16(0xC00C);                    // name: pointer to the question
            Add16(1);
            Add16(1);
            Add16(0);
            Add16(60);                        // TTL
            Add16(4);
            message.AddRange(new byte[] { 192, 0, 2, 80 });
        }
        return message.ToArray();
    }
}
