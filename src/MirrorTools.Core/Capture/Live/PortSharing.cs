namespace MirrorTools.Capture.Live;

/// <summary>Whether a socket listener shares its ports with other workers' sockets (SO_REUSEPORT, Linux).</summary>
internal enum PortSharing
{
    /// <summary>One socket per port: a port in use is an error.</summary>
    Exclusive,

    /// <summary>The first worker: binds with SO_REUSEPORT, but only a port nobody holds yet.</summary>
    NewGroup,

    /// <summary>The other workers: bind the same ports with SO_REUSEPORT; the kernel spreads datagrams by flow hash.</summary>
    JoinGroup,
}
