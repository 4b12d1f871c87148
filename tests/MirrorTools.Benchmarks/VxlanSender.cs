using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MirrorTools.Benchmarks;

/// <summary>
/// The live benchmark's traffic: VXLAN datagrams to UDP 4789, paced to a rate, sent in batches
/// with sendmmsg so one core can offer well over 600k datagrams/s. Runs as its own process
/// (<c>--send COUNT RATE ADDRESS</c>), so the benchmark can pin it to another CPU and namespace.
/// </summary>
internal static unsafe partial class VxlanSender
{
    /// <summary>VXLAN header (8) + an 88-byte inner Ethernet/IPv4/UDP frame: the UDP payload.</summary>
    public const int DatagramBytes = 96;
    private const int Batch = 32;

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVector
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Vectors;
        public nuint VectorCount;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
        private readonly int _padding; // msghdr ends on an 8-byte boundary
        public uint Length; // mmsghdr.msg_len
    }

    /// <summary>
    /// <c>COUNT RATE ADDRESS [FLOWS [SELECT_EVERY]]</c>: FLOWS connected sockets (outer source ports,
    /// as AWS hashes inner flows onto them) take turns by batch; with SELECT_EVERY, one datagram in
    /// that many carries inner UDP port 53 and the rest port 80, so a filter on port 53 selects 1 in SELECT_EVERY.
    /// </summary>
    public static int Send(string[] args)
    {
        var count = long.Parse(args[0], CultureInfo.InvariantCulture);
        var rate = long.Parse(args[1], CultureInfo.InvariantCulture);
        var flows = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;
        var selectEvery = args.Length > 4 ? long.Parse(args[4], CultureInfo.InvariantCulture) : 1;
        var sockets = Enumerable.Range(0, flows).Select(_ =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.SendBufferSize = 4 << 20;
            socket.Connect(new IPEndPoint(IPAddress.Parse(args[2]), 4789));
            return socket;
        }).ToList();
        var selected = Datagram(SelectedPort);
        var other = Datagram(OtherPort);
        var vectors = stackalloc IoVector[Batch];
        var messages = stackalloc MessageHeader[Batch];
        long sent = 0;
        fixed (byte* selectedData = selected)
        fixed (byte* otherData = other)
        {
            for (var i = 0; i < Batch; i++)
            {
                vectors[i] = new IoVector { Base = selectedData, Length = DatagramBytes };
                messages[i] = new MessageHeader { Vectors = &vectors[i], VectorCount = 1 };
            }
            var clock = Stopwatch.StartNew();
            var batch = 0;
            while (sent < count)
            {
                var due = (double)sent / rate;
                while (clock.Elapsed.TotalSeconds < due)
                    Thread.SpinWait(10);
                if (selectEvery > 1)
                {
                    for (var i = 0; i < Batch; i++)
                        vectors[i].Base = (sent + i) % selectEvery == 0 ? selectedData : otherData;
                }
                var descriptor = (int)sockets[batch++ % flows].Handle;
                var n = sendmmsg(descriptor, messages, (uint)Math.Min(Batch, count - sent), 0);
                if (n > 0)
                    sent += n;
            }
            Console.WriteLine($"sent {sent} in {(long)clock.Elapsed.TotalMicroseconds} us");
        }
        foreach (var socket in sockets)
            socket.Dispose();
        return 0;
    }

    /// <summary>The inner UDP destination port of the selected datagrams (and of all of them without SELECT_EVERY).</summary>
    public const ushort SelectedPort = 53;
    private const ushort OtherPort = 80;

    /// <summary>VXLAN (I flag, VNI 4242) carrying Ethernet / IPv4 / UDP to <paramref name="innerPort"/> with a 46-byte payload.</summary>
    private static byte[] Datagram(ushort innerPort)
    {
        var bytes = new byte[DatagramBytes];
        bytes[0] = 0x08; // I flag
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), 4242u << 8);
        var frame = bytes.AsSpan(8);
        frame[0] = 0x02; frame[5] = 0x02; frame[6] = 0x02; frame[11] = 0x01;
        BinaryPrimitives.WriteUInt16BigEndian(frame[12..], 0x0800);
        var ip = frame[14..];
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(frame.Length - 14));
        ip[8] = 64;
        ip[9] = 17;
        ip[12] = 10; ip[15] = 1; ip[16] = 10; ip[19] = 2;
        BinaryPrimitives.WriteUInt16BigEndian(ip[20..], 40000);
        BinaryPrimitives.WriteUInt16BigEndian(ip[22..], innerPort);
        BinaryPrimitives.WriteUInt16BigEndian(ip[24..], (ushort)(frame.Length - 34));
        return bytes;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int sendmmsg(int descriptor, MessageHeader* messages, uint count, int flags);
}
