using System.Net;
using System.Net.NetworkInformation;

namespace MirrorTools.Cloud;

/// <summary>Addresses of a session's source interface, as -MirrorSource compares them: each IP once, and a 6-byte MAC.</summary>
internal static class SourceAddresses
{
    public static void AddIp(List<object> addresses, string? text)
    {
        if (IPAddress.TryParse(text, out var address) && !addresses.Contains(address))
            addresses.Add(address);
    }

    public static void AddMac(List<object> addresses, string? text)
    {
        if (text is not null && PhysicalAddress.TryParse(text.Replace(':', '-'), out var mac) && mac.GetAddressBytes().Length == 6)
            addresses.Add(mac);
    }

    /// <summary>A failed lookup, with the permission to grant unless the cloud's own message names it already.</summary>
    public static MirrorToolsException Granting(MirrorToolsException problem, string action, string grant) =>
        problem.Message.Contains(action, StringComparison.Ordinal) ? problem
            : new MirrorToolsException(problem.ErrorId, problem.Category, $"{problem.Message} {grant}.", problem.Target, problem.InnerException ?? problem);
}
