using System.Net;
using System.Net.Sockets;
using MirrorTools.Capture.Live;

namespace MirrorTools.Tests.Capture.Live;

public class ProcNetUdpTableTests
{
    [Fact]
    public void TryParse_ReadsPortInodeAndDrops()
    {
        const string line = "  812: 00000000:12B5 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 4187321 2 ffff8d5a0c4f2400 17";
        Assert.True(ProcNetUdpTable.TryParse(line, out var entry));
        Assert.Equal(4789, entry.LocalPort);
        Assert.Equal(4187321, entry.Inode);
        Assert.Equal(17, entry.Drops);
    }

    [Fact]
    public void TryParse_HeaderLine_IsRejected() =>
        Assert.False(ProcNetUdpTable.TryParse("   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops", out _));

    [Fact]
    public void SocketInode_OnlyAcceptsSocketLinks()
    {
        Assert.Equal(123, ProcNetUdpTable.SocketInode("socket:[123]"));
        Assert.Equal(0, ProcNetUdpTable.SocketInode("pipe:[123]"));
        Assert.Equal(0, ProcNetUdpTable.SocketInode("/dev/null"));
        Assert.Equal(0, ProcNetUdpTable.SocketInode(null));
    }

    [Fact]
    public void Read_ListsASocketThisProcessBound()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        var inode = ProcNetUdpTable.InodeOf(socket);

        Assert.NotEqual(0, inode);
        Assert.Contains(ProcNetUdpTable.Read(), e => e.LocalPort == port && e.Inode == inode);
    }
}
