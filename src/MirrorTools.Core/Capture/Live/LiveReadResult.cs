namespace MirrorTools.Capture.Live;

/// <summary>What one <see cref="LibpcapLiveSource.ReadNext"/> produced.</summary>
internal enum LiveReadResult
{
    /// <summary>A frame was read; it is valid until the next read.</summary>
    Frame,

    /// <summary>The read timeout passed with no traffic; read again.</summary>
    Timeout,

    /// <summary>Stop() was called or the token cancelled: no more frames will come.</summary>
    Stopped,
}
