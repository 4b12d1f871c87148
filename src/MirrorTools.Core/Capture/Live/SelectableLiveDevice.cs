using SharpPcap.LibPcap;

namespace MirrorTools.Capture.Live;

/// <summary>
/// SharpPcap's live device, with the descriptor it polls on Linux made visible: the capture loop
/// waits on it together with its own wake-up event (see <see cref="Native.ReadWaiter"/>).
/// </summary>
internal sealed class SelectableLiveDevice(PcapInterface pcapInterface) : LibPcapLiveDevice(pcapInterface)
{
    /// <summary>pcap_get_selectable_fd() once opened on Linux; -1 elsewhere.</summary>
    public int SelectableDescriptor => FileDescriptor;
}
