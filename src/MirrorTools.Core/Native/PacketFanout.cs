using System.Runtime.InteropServices;

namespace MirrorTools.Native;

/// <summary>
/// Linux packet-socket fanout (packet(7), PACKET_FANOUT): several packet sockets on one interface
/// form a group and the kernel hands each packet to exactly one of them. Here libpcap's own socket
/// joins: neither libpcap nor SharpPcap has a call for it, so the option is set with setsockopt on
/// the descriptor pcap_get_selectable_fd() returns (on Linux, libpcap's PF_PACKET socket itself).
/// The mode is PACKET_FANOUT_HASH, by the kernel's flow hash (addresses and ports), so every
/// packet of one outer flow reaches the same socket in order; with PACKET_FANOUT_FLAG_DEFRAG
/// outer IPv4 fragments are reassembled first, so a fragmented datagram hashes with its flow
/// instead of by addresses alone. No ROLLOVER: moving packets off a full socket would reorder them.
/// </summary>
internal static unsafe partial class PacketFanout
{
    private const int SolPacket = 263;
    private const int PacketFanoutOption = 18;
    private const int ModeHash = 0x0;
    private const int FlagUniqueId = 0x2000; // Linux 4.4: the kernel picks an id no group uses
    private const int FlagDefrag = 0x8000;
    private const int TypeFlags = ModeHash | FlagDefrag;

    /// <summary>Starts a new group with <paramref name="descriptor"/> in it, with the id the kernel chose; false with the errno on failure.</summary>
    public static bool TryCreate(int descriptor, out int groupId, out int error)
    {
        // A fixed or random id could join someone else's group on the same interface (the kernel
        // matches groups by id, mode and flags): the kernel's unique id cannot.
        var value = (TypeFlags | FlagUniqueId) << 16;
        groupId = 0;
        if (setsockopt(descriptor, SolPacket, PacketFanoutOption, &value, sizeof(int)) != 0)
        {
            error = Marshal.GetLastPInvokeError();
            return false;
        }
        int read = 0, length = sizeof(int);
        if (getsockopt(descriptor, SolPacket, PacketFanoutOption, &read, &length) != 0)
        {
            error = Marshal.GetLastPInvokeError();
            return false;
        }
        groupId = read & 0xFFFF;
        error = 0;
        return true;
    }

    /// <summary>Adds <paramref name="descriptor"/> to the group <paramref name="groupId"/> made by <see cref="TryCreate"/>.</summary>
    public static bool TryJoin(int descriptor, int groupId, out int error)
    {
        var value = (TypeFlags << 16) | (groupId & 0xFFFF);
        error = setsockopt(descriptor, SolPacket, PacketFanoutOption, &value, sizeof(int)) == 0 ? 0 : Marshal.GetLastPInvokeError();
        return error == 0;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setsockopt(int descriptor, int level, int name, int* value, int length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getsockopt(int descriptor, int level, int name, int* value, int* length);
}
