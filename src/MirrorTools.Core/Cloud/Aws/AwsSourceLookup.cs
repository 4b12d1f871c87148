namespace MirrorTools.Cloud.Aws;

/// <summary>-MirrorSource on AWS: the session's ENI's private IPv4 addresses (primary and secondary), IPv6 addresses and MAC (DescribeNetworkInterfaces).</summary>
internal static class AwsSourceLookup
{
    public static async Task<IReadOnlyList<object>> AddressesAsync(AwsConnection aws, string id, CancellationToken cancellationToken)
    {
        List<Amazon.EC2.Model.NetworkInterface> interfaces;
        try
        {
            interfaces = await aws.Ec2.ListAsync("DescribeNetworkInterfaces",
                ec2 => ec2.Paginators.DescribeNetworkInterfaces(new() { NetworkInterfaceIds = [id] }).NetworkInterfaces, cancellationToken, id).ConfigureAwait(false);
        }
        catch (MirrorToolsException problem)
        {
            throw SourceAddresses.Granting(problem, "ec2:DescribeNetworkInterfaces", "Allow ec2:DescribeNetworkInterfaces");
        }
        var eni = interfaces.FirstOrDefault(i => i.NetworkInterfaceId == id)
            ?? throw new MirrorToolsException(AwsErrors.InvalidResponse, ProblemCategory.ObjectNotFound,
                $"EC2 DescribeNetworkInterfaces did not answer the interface {id}.", id);
        var addresses = new List<object>();
        foreach (var privateIp in eni.PrivateIpAddresses ?? [])
            SourceAddresses.AddIp(addresses, privateIp.PrivateIpAddress);
        SourceAddresses.AddIp(addresses, eni.PrivateIpAddress);
        foreach (var ipv6 in eni.Ipv6Addresses ?? [])
            SourceAddresses.AddIp(addresses, ipv6.Ipv6Address);
        SourceAddresses.AddMac(addresses, eni.MacAddress);
        return addresses;
    }
}
