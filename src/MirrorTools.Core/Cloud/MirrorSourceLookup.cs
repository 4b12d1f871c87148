using System.Net;
using System.Net.NetworkInformation;
using System.Text.Json;
using MirrorTools.Cloud.Aws;
using MirrorTools.Cloud.Oci;

namespace MirrorTools.Cloud;

/// <summary>
/// -MirrorSource's <see cref="MirrorSession"/> values turned into the addresses of the session's
/// source interface, looked up once before any packet is read: on AWS the ENI's private IPv4
/// addresses (primary and secondary), IPv6 addresses and MAC (DescribeNetworkInterfaces); on OCI
/// the VNIC's private IPs (GetVnic, ListPrivateIps for the secondary ones), IPv6 addresses and
/// MAC. A VTAP whose source is no VNIC (load balancer, DB system, subnet) has no one interface to
/// look up: it is left to the tunnel rule, with a notice. A failed lookup is a problem naming the
/// session and the permission it needs; packets are read all the same.
/// </summary>
internal static class MirrorSourceLookup
{
    public const string FailedErrorId = "MirrorSourceLookupFailed";

    /// <summary>
    /// <paramref name="values"/> with each session replaced by its interface's addresses
    /// (<see cref="IPAddress"/>, <see cref="PhysicalAddress"/>); other values pass unchanged.
    /// </summary>
    /// <param name="aws">The AWS connection for a session (its region); may throw a <see cref="MirrorToolsException"/>.</param>
    /// <param name="oci">The OCI connection for a session (its region); may throw a <see cref="MirrorToolsException"/>.</param>
    /// <param name="problems">Failed lookups, as non-terminating errors for the caller to report.</param>
    /// <param name="notices">Warnings: a session left to the tunnel rule, and why.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<List<object>> ResolveAsync(IEnumerable<object> values, Func<MirrorSession, AwsConnection> aws,
        Func<MirrorSession, OciConnection> oci, ICollection<MirrorToolsException> problems, ICollection<string> notices,
        CancellationToken cancellationToken)
    {
        var resolved = new List<object>();
        var unresolved = new List<MirrorSession>();
        foreach (var value in values)
        {
            if (value is not MirrorSession session)
            {
                resolved.Add(value);
                continue;
            }
            if (session.Provider == "Oci" && !session.NetworkInterfaceId.StartsWith("ocid1.vnic.", StringComparison.Ordinal))
            {
                notices.Add($"Session {session.Id} mirrors a {session.SourceType ?? "source"} ({session.NetworkInterfaceId}), not a VNIC: " +
                    "there is no one interface whose addresses MirrorTools could look up. Give the mirrored addresses to -MirrorSource to classify by them.");
                unresolved.Add(session);
                continue;
            }
            try
            {
                resolved.AddRange(session.Provider == "Oci"
                    ? await OciAsync(oci(session), session.NetworkInterfaceId, cancellationToken).ConfigureAwait(false)
                    : await AwsAsync(aws(session), session.NetworkInterfaceId, cancellationToken).ConfigureAwait(false));
            }
            catch (MirrorToolsException problem)
            {
                problems.Add(Failed(session, problem));
                unresolved.Add(session);
            }
        }
        foreach (var session in unresolved)
            notices.Add(resolved.Count == 0
                ? $"Session {session.Id}: without its source's addresses, Direction comes from the tunnel's outer source " +
                  "(on AWS the source interface's primary private IP; on OCI only where an inner address equals it)."
                : $"Session {session.Id}: its source's addresses are not known; only the other -MirrorSource addresses give Direction.");
        return resolved;
    }

    private static async Task<List<object>> AwsAsync(AwsConnection aws, string id, CancellationToken cancellationToken)
    {
        var interfaces = await aws.Ec2.ListAsync("DescribeNetworkInterfaces",
            ec2 => ec2.Paginators.DescribeNetworkInterfaces(new() { NetworkInterfaceIds = [id] }).NetworkInterfaces, cancellationToken, id).ConfigureAwait(false);
        var eni = interfaces.FirstOrDefault(i => i.NetworkInterfaceId == id)
            ?? throw new MirrorToolsException(AwsErrors.InvalidResponse, ProblemCategory.ObjectNotFound,
                $"EC2 DescribeNetworkInterfaces did not answer the interface {id}.", id);
        var addresses = new List<object>();
        foreach (var privateIp in eni.PrivateIpAddresses ?? [])
            AddIp(addresses, privateIp.PrivateIpAddress);
        AddIp(addresses, eni.PrivateIpAddress);
        foreach (var ipv6 in eni.Ipv6Addresses ?? [])
            AddIp(addresses, ipv6.Ipv6Address);
        AddMac(addresses, eni.MacAddress);
        return addresses;
    }

    private static async Task<List<object>> OciAsync(OciConnection oci, string id, CancellationToken cancellationToken)
    {
        var vnic = (await oci.Core.GetAsync($"vnics/{id}", cancellationToken).ConfigureAwait(false)).Body;
        var addresses = new List<object>();
        AddIp(addresses, Text(vnic, "privateIp"));
        if (vnic.ValueKind == JsonValueKind.Object && vnic.TryGetProperty("ipv6Addresses", out var ipv6) && ipv6.ValueKind == JsonValueKind.Array)
        {
            foreach (var address in ipv6.EnumerateArray())
                AddIp(addresses, address.ValueKind == JsonValueKind.String ? address.GetString() : null);
        }
        AddMac(addresses, Text(vnic, "macAddress"));
        await foreach (var privateIp in oci.Core.ListAsync("privateIps", new Dictionary<string, string?> { ["vnicId"] = id }, cancellationToken)
                           .ConfigureAwait(false))
            AddIp(addresses, Text(privateIp, "ipAddress"));
        return addresses;
    }

    private static MirrorToolsException Failed(MirrorSession session, MirrorToolsException problem)
    {
        var (action, grant) = session.Provider == "Oci"
            ? ("GetVnic", "Allow GetVnic and ListPrivateIps (policy: 'read virtual-network-family' in the VNIC's compartment), or give")
            : ("ec2:DescribeNetworkInterfaces", "Allow ec2:DescribeNetworkInterfaces, or give");
        // AWS's access-denied message already names the action to allow: say it once.
        var advice = problem.Message.Contains(action, StringComparison.Ordinal) ? "Or give" : grant;
        return new MirrorToolsException(FailedErrorId, problem.Category,
            $"-MirrorSource: could not look up the source interface {session.NetworkInterfaceId} of session {session.Id} " +
            $"in {session.Region}: {problem.Message} {advice} the interface's addresses to -MirrorSource.", session, problem);
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static void AddIp(List<object> addresses, string? text)
    {
        if (IPAddress.TryParse(text, out var address) && !addresses.Contains(address))
            addresses.Add(address);
    }

    private static void AddMac(List<object> addresses, string? text)
    {
        if (text is not null && PhysicalAddress.TryParse(text.Replace(':', '-'), out var mac) && mac.GetAddressBytes().Length == 6)
            addresses.Add(mac);
    }
}
