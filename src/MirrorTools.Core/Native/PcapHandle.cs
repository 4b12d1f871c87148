using Microsoft.Win32.SafeHandles;

namespace MirrorTools.Native;

/// <summary>
/// A pcap_t*. As a SafeHandle, pcap_close waits for any call in flight on another thread (a
/// blocked pcap_next_ex while Stop runs pcap_breakloop), so closing never frees a handle in use.
/// </summary>
internal sealed class PcapHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public PcapHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        PcapNative.pcap_close(handle);
        return true;
    }
}
