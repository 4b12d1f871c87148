using SharpPcap;

namespace MirrorTools.Capture.Live;

/// <summary>Turns what pcap_activate returned (SharpPcap's PcapError carries its code) into an error that says what to do.</summary>
internal static class LibpcapOpenErrors
{
    public const string InterfaceNotFoundId = "CaptureInterfaceNotFound";
    public const string PermissionDeniedId = "CapturePermissionDenied";
    public const string InterfaceUnavailableId = "CaptureInterfaceUnavailable";
    public const string ReadFailedId = "CaptureReadFailed";

    /// <summary>
    /// The error for a failed pcap_activate (<paramref name="status"/> &lt; 0).
    /// <paramref name="availableInterfaces"/> is called only when the interface does not exist.
    /// </summary>
    public static MirrorToolsException ForActivateStatus(PcapError status, string interfaceName, string libpcapMessage,
        Func<IEnumerable<string>> availableInterfaces)
    {
        var detail = string.IsNullOrWhiteSpace(libpcapMessage) ? "" : $" (libpcap: {libpcapMessage.TrimEnd('.')})";
        return status switch
        {
            PcapError.NoSuchDevice => new MirrorToolsException(InterfaceNotFoundId, ProblemCategory.ObjectNotFound,
                $"There is no capture interface '{interfaceName}'{detail}. {DescribeAvailable(availableInterfaces)}",
                interfaceName),
            PcapError.PermissionDenied => new MirrorToolsException(PermissionDeniedId, ProblemCategory.PermissionDenied,
                $"Not allowed to capture on '{interfaceName}'{detail}. {PermissionRemedy()}", interfaceName),
            PcapError.PromiscuousPermissionDenied => new MirrorToolsException(PermissionDeniedId,
                ProblemCategory.PermissionDenied,
                $"Not allowed to capture in promiscuous mode on '{interfaceName}'{detail}. Capture without " +
                $"promiscuous mode (mirror traffic is addressed to this host anyway), or: {PermissionRemedy()}",
                interfaceName),
            PcapError.InterfaceNotUp => new MirrorToolsException(InterfaceUnavailableId,
                ProblemCategory.ResourceUnavailable,
                $"The interface '{interfaceName}' is down{detail}. Bring it up first (Linux: 'ip link set {interfaceName} up').",
                interfaceName),
            _ => new MirrorToolsException(InterfaceUnavailableId, ProblemCategory.ResourceUnavailable,
                $"Cannot capture on '{interfaceName}'{detail}. Check that the interface supports capture, or pick " +
                $"another. {DescribeAvailable(availableInterfaces)}", interfaceName),
        };
    }

    /// <summary>A read failed mid-capture (interface removed, driver error): capture cannot go on.</summary>
    public static MirrorToolsException ReadFailed(string interfaceName, string libpcapMessage) =>
        new(ReadFailedId, ProblemCategory.ReadError,
            $"Capture on '{interfaceName}' failed: {libpcapMessage.TrimEnd('.')}. Check that the interface still " +
            "exists and is up, then start the capture again.", interfaceName);

    internal static string PermissionRemedy()
    {
        if (OperatingSystem.IsWindows())
            return "Run PowerShell as Administrator, or reinstall Npcap without \"Restrict Npcap driver's access to " +
                "Administrators only\".";
        if (OperatingSystem.IsMacOS())
            return "Capturing needs read access to /dev/bpf*: run with sudo, or install Wireshark's ChmodBPF " +
                "and join the access_bpf group.";
        return "Capturing needs root, or the capabilities CAP_NET_RAW and CAP_NET_ADMIN: run as root (sudo pwsh), " +
            "or grant them to PowerShell once with 'sudo setcap cap_net_raw,cap_net_admin=eip " +
            "$(readlink -f $(which pwsh))'. Without privileges, capture with -Listener Socket instead.";
    }

    private static string DescribeAvailable(Func<IEnumerable<string>> availableInterfaces)
    {
        string[] names;
        try
        {
            names = availableInterfaces().ToArray();
        }
        catch (MirrorToolsException)
        {
            return "";
        }
        return names.Length == 0
            ? "No capture interfaces are visible (this usually also means missing privileges)."
            : $"Available interfaces: {string.Join(", ", names)}.";
    }
}
