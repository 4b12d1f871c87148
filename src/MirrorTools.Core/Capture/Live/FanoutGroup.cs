using System.Runtime.InteropServices;
using MirrorTools.Native;

namespace MirrorTools.Capture.Live;

/// <summary>
/// The PACKET_FANOUT group a multi-worker libpcap capture's handles share (see <see cref="PacketFanout"/>):
/// the first handle creates it, the others join it, before their capture filters are set.
/// </summary>
internal sealed class FanoutGroup
{
    public const string FailedErrorId = "CaptureFanoutFailed";

    private int? _id;

    /// <summary>Puts libpcap's socket <paramref name="descriptor"/> on <paramref name="interfaceName"/> in the group.</summary>
    /// <exception cref="MirrorToolsException"><see cref="FailedErrorId"/>, naming the kernel's reason.</exception>
    public void Join(int descriptor, string interfaceName)
    {
        int error;
        if (_id is { } id)
        {
            if (PacketFanout.TryJoin(descriptor, id, out error))
                return;
        }
        else if (PacketFanout.TryCreate(descriptor, out var created, out error))
        {
            _id = created;
            return;
        }
        throw new MirrorToolsException(FailedErrorId, ProblemCategory.ResourceUnavailable,
            $"The workers' libpcap sockets on '{interfaceName}' could not share the packets (PACKET_FANOUT): " +
            $"{Marshal.GetPInvokeErrorMessage(error)} (errno {error}). Use -Workers 1, or -Listener Socket (SO_REUSEPORT).",
            interfaceName);
    }
}
