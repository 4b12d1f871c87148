using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MirrorTools.Native;

/// <summary>
/// Waits until a libpcap handle has packets, a timeout passes, or another thread calls
/// <see cref="Wake"/>. Linux needs this: libpcap's read timeout need not expire while no packet
/// arrives (pcap(3PCAP) warns of it; libpcap 1.10.3 here blocked for good), and before libpcap
/// 1.10 pcap_breakloop does not wake a blocked read either, so a quiet capture could never stop.
/// </summary>
internal sealed unsafe class ReadWaiter : IDisposable
{
    private readonly int _pcapDescriptor;
    private readonly SafeFileHandle _wakeEvent;

    private ReadWaiter(int pcapDescriptor, SafeFileHandle wakeEvent)
    {
        _pcapDescriptor = pcapDescriptor;
        _wakeEvent = wakeEvent;
    }

    /// <summary>A waiter over <paramref name="pcapDescriptor"/> (pcap_get_selectable_fd), or null if it cannot be made.</summary>
    public static ReadWaiter? Create(int pcapDescriptor)
    {
        if (pcapDescriptor < 0)
            return null;
        var wakeEvent = LinuxPoll.eventfd(0, LinuxPoll.EventFdNonBlocking | LinuxPoll.EventFdCloseOnExec);
        return wakeEvent < 0 ? null : new ReadWaiter(pcapDescriptor, new SafeFileHandle(wakeEvent, ownsHandle: true));
    }

    /// <summary>True when the handle may have packets; false on timeout or after <see cref="Wake"/>.</summary>
    public bool WaitForPackets(TimeSpan timeout)
    {
        var added = false;
        try
        {
            _wakeEvent.DangerousAddRef(ref added);
            var descriptors = stackalloc LinuxPoll.PollDescriptor[2];
            descriptors[0] = new LinuxPoll.PollDescriptor { Descriptor = _pcapDescriptor, Events = LinuxPoll.PollIn };
            descriptors[1] = new LinuxPoll.PollDescriptor
            {
                Descriptor = (int)_wakeEvent.DangerousGetHandle(),
                Events = LinuxPoll.PollIn,
            };
            int ready;
            do
                ready = LinuxPoll.poll(descriptors, 2, (int)timeout.TotalMilliseconds);
            while (ready < 0 && Marshal.GetLastPInvokeError() == EINTR);
            return ready > 0 && descriptors[1].ReturnedEvents == 0;
        }
        finally
        {
            if (added)
                _wakeEvent.DangerousRelease();
        }
    }

    /// <summary>Makes a current and every later wait return at once. Thread-safe.</summary>
    public void Wake()
    {
        var added = false;
        try
        {
            _wakeEvent.DangerousAddRef(ref added);
            ulong one = 1;
            LinuxPoll.write((int)_wakeEvent.DangerousGetHandle(), &one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
            // Closed: nothing waits any more.
        }
        finally
        {
            if (added)
                _wakeEvent.DangerousRelease();
        }
    }

    public void Dispose() => _wakeEvent.Dispose();

    private const int EINTR = 4;
}
