using System.Text.Json;

namespace MirrorTools.Cloud.Oci;

/// <summary>-MirrorSource on OCI: the VNIC's private IPs (GetVnic, ListPrivateIps for the secondary ones), IPv6 addresses and MAC.</summary>
internal static class OciSourceLookup
{
    /// <summary>The addresses of a VTAP's source VNIC; null, with a notice, when the source is no VNIC (load balancer, DB system, subnet).</summary>
    public static async Task<IReadOnlyList<object>?> AddressesAsync(OciConnection oci, MirrorSession session, ICollection<string> notices,
        CancellationToken cancellationToken)
    {
        var id = session.NetworkInterfaceId;
        if (!id.StartsWith("ocid1.vnic.", StringComparison.Ordinal))
        {
            notices.Add($"Session {session.Id} mirrors a {session.SourceType ?? "source"} ({id}), not a VNIC: " +
                "there is no one interface whose addresses MirrorTools could look up. Give the mirrored addresses to -MirrorSource to classify by them.");
            return null;
        }
        try
        {
            return await VnicAddressesAsync(oci, id, cancellationToken).ConfigureAwait(false);
        }
        catch (MirrorToolsException problem)
        {
            throw SourceAddresses.Granting(problem, "GetVnic",
                "Allow GetVnic and ListPrivateIps (policy: 'read virtual-network-family' in the VNIC's compartment)");
        }
    }

    private static async Task<IReadOnlyList<object>> VnicAddressesAsync(OciConnection oci, string id, CancellationToken cancellationToken)
    {
        var vnic = (await oci.Core.GetAsync($"vnics/{id}", cancellationToken).ConfigureAwait(false)).Body;
        var addresses = new List<object>();
        SourceAddresses.AddIp(addresses, OciMirrorResources.Text(vnic, "privateIp"));
        if (vnic.ValueKind == JsonValueKind.Object && vnic.TryGetProperty("ipv6Addresses", out var ipv6) && ipv6.ValueKind == JsonValueKind.Array)
        {
            foreach (var address in ipv6.EnumerateArray())
                SourceAddresses.AddIp(addresses, address.ValueKind == JsonValueKind.String ? address.GetString() : null);
        }
        SourceAddresses.AddMac(addresses, OciMirrorResources.Text(vnic, "macAddress"));
        await foreach (var privateIp in oci.Core.ListAsync("privateIps", new Dictionary<string, string?> { ["vnicId"] = id }, cancellationToken)
                           .ConfigureAwait(false))
            SourceAddresses.AddIp(addresses, OciMirrorResources.Text(privateIp, "ipAddress"));
        return addresses;
    }
}
