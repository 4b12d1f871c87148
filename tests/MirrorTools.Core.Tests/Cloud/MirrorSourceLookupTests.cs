using System.Net;
using System.Net.NetworkInformation;
using MirrorTools.Cloud;
using MirrorTools.Cloud.Aws;
using MirrorTools.Cloud.Oci;
using MirrorTools.Decoding;
using MirrorTools.Tests.Capture;
using MirrorTools.Tests.Cloud.FakeAws;
using MirrorTools.Tests.Cloud.FakeOci;
using MirrorTools.Tests.Infrastructure;

namespace MirrorTools.Tests.Cloud;

/// <summary>
/// -MirrorSource with a MirrorSession: its source interface looked up on the fake EC2 (SigV4-checked)
/// and OCI (request-signature-checked) endpoints, and the addresses found classifying the real AWS
/// capture, whose mirrored instance is 172.31.0.238, as the tunnel rule does.
/// </summary>
public sealed class MirrorSourceLookupTests : IAsyncDisposable
{
    private const string AwsCapture = "aws-traffic-mirror-ssh-dns.pcap";
    private const string Mac = "02:85:69:c2:ab:02";

    private readonly FakeAwsEndpoint _aws = new();
    private readonly FakeSubnet _subnet;
    private readonly AwsConnection _connection;

    public MirrorSourceLookupTests()
    {
        var vpc = _aws.State.AddVpc("172.31.0.0/16");
        _subnet = _aws.State.AddSubnet(vpc, "172.31.0.0/20");
        _connection = AwsConnection.Resolve(_aws.ConnectionOptions(), retry: FakeAwsEndpoint.FastRetry);
    }

    [Fact]
    public async Task AwsEni_GivesItsAddresses_AndTheTunnelRulesDirections()
    {
        var eni = AddEni("172.31.0.238");
        eni.Ipv6Addresses.Add("2a05:d018::238");
        var (resolved, problems, notices) = await ResolveAws(AwsSession(eni.Id));

        Assert.Empty(problems);
        Assert.Empty(notices);
        Assert.Equal(new object[] { IPAddress.Parse("172.31.0.238"), IPAddress.Parse("2a05:d018::238"), PhysicalAddress.Parse(Mac.Replace(':', '-')) },
            resolved);
        Assert.Contains(_aws.Calls, c => c.Action == "DescribeNetworkInterfaces");
        var byEni = Directions(MirrorSource.FromValues(resolved));
        Assert.Equal((53, 47, 0), Count(byEni));
        Assert.Equal(Directions(MirrorSource.FromTunnel), byEni);
    }

    [Fact]
    public async Task AwsEni_SecondaryAddressesCount()
    {
        var eni = AddEni("172.31.0.10");
        eni.SecondaryPrivateIpAddresses.Add("172.31.0.238");
        var (resolved, problems, _) = await ResolveAws(AwsSession(eni.Id), withMac: false);

        Assert.Empty(problems);
        Assert.Equal(new object[] { IPAddress.Parse("172.31.0.10"), IPAddress.Parse("172.31.0.238") }, resolved);
        Assert.Equal((53, 47, 0), Count(Directions(MirrorSource.FromValues(resolved))));
        // Without the secondary address nothing in the capture is the interface's: all Unknown, never guessed.
        Assert.Equal((0, 0, 100), Count(Directions(MirrorSource.FromValues([IPAddress.Parse("172.31.0.10")]))));
    }

    [Fact]
    public async Task AwsLookupDenied_IsAProblemNamingTheSessionAndTheGrant_ThenTheTunnelRule()
    {
        var eni = AddEni("172.31.0.238");
        _aws.DeniedActions.Add("DescribeNetworkInterfaces");
        var (resolved, problems, notices) = await ResolveAws(AwsSession(eni.Id));

        Assert.Empty(resolved);
        var problem = Assert.Single(problems);
        Assert.Equal(MirrorSourceLookup.FailedErrorId, problem.ErrorId);
        Assert.Contains("tms-0123456789abcdef0", problem.Message);
        Assert.Contains(eni.Id, problem.Message);
        Assert.Contains("ec2:DescribeNetworkInterfaces", problem.Message);
        Assert.Contains("tunnel's outer source", Assert.Single(notices));
    }

    [Fact]
    public async Task AwsEniNotFound_IsAProblem_AndOtherGivenAddressesStillCount()
    {
        var (resolved, problems, notices) = await ResolveAws(AwsSession("eni-0000000000000000f"), "172.31.0.238");

        var problem = Assert.Single(problems);
        Assert.Equal(MirrorSourceLookup.FailedErrorId, problem.ErrorId);
        Assert.Contains("eni-0000000000000000f", problem.Message);
        Assert.Contains("ec2:DescribeNetworkInterfaces", problem.Message);
        Assert.Equal(["172.31.0.238"], resolved);
        Assert.Contains("only the other -MirrorSource addresses", Assert.Single(notices));
    }

    [Fact]
    public async Task OciVnic_GivesItsPrivateIps_Ipv6AndMac()
    {
        await using var oci = new FakeOciEndpoint();
        using var home = new TempDirectory();
        var vcn = oci.State.AddVcn("172.31.0.0/16");
        var subnet = oci.State.AddSubnet(vcn, "172.31.0.0/20");
        var vnic = oci.State.AddVnic(subnet, "172.31.0.10");
        oci.State.Vnics[vnic]["ipv6Addresses"] = new System.Text.Json.Nodes.JsonArray("2603:c020::238");
        oci.State.SecondaryPrivateIps[vnic] = ["172.31.0.238"];
        var mac = oci.State.Vnics[vnic]["macAddress"]!.GetValue<string>();
        using var connection = OciConnection.Resolve(new OciConnectionOptions { ConfigFile = oci.WriteConfig(home.Path), EndpointUrl = oci.Url },
            retry: FakeOciEndpoint.FastRetry);
        var session = new MirrorSession("Oci", "ocid1.vtap.oc1.iad.fake", "us-ashburn-1", vnic, "ocid1.networkloadbalancer.oc1.iad.fake", "", 0, 4242,
            null, null, new Dictionary<string, string>(), null) { SourceType = "VNIC" };
        var problems = new List<MirrorToolsException>();
        var notices = new List<string>();

        var resolved = await MirrorSourceLookup.ResolveAsync([session], _ => new OciMirrorProvider(connection),
            problems, notices, default);

        Assert.Empty(problems);
        Assert.Empty(notices);
        Assert.Null(oci.LastSignatureProblem);
        Assert.Equal(new object[] { IPAddress.Parse("172.31.0.10"), IPAddress.Parse("2603:c020::238"), PhysicalAddress.Parse(mac.Replace(':', '-')),
            IPAddress.Parse("172.31.0.238") }, resolved);
        Assert.Contains(oci.Calls, c => c.Method == "GET" && c.Path == "vnics/" + vnic && c.Status == 200);
        Assert.Contains(oci.Calls, c => c.Method == "GET" && c.Path == "privateIps" && c.Status == 200);
        Assert.Equal((53, 47, 0), Count(Directions(MirrorSource.FromValues(resolved))));
    }

    [Fact]
    public async Task OciVnicDenied_IsAProblemNamingThePolicy()
    {
        await using var oci = new FakeOciEndpoint();
        using var home = new TempDirectory();
        var vnic = oci.State.AddVnic(oci.State.AddSubnet(oci.State.AddVcn(), "10.0.1.0/24"), "10.0.1.5");
        oci.Denied.Add("GET vnics");
        using var connection = OciConnection.Resolve(new OciConnectionOptions { ConfigFile = oci.WriteConfig(home.Path), EndpointUrl = oci.Url },
            retry: FakeOciEndpoint.FastRetry);
        var session = new MirrorSession("Oci", "ocid1.vtap.oc1.iad.fake", "us-ashburn-1", vnic, "ocid1.networkloadbalancer.oc1.iad.fake", "", 0, 4242,
            null, null, new Dictionary<string, string>(), null) { SourceType = "VNIC" };
        var problems = new List<MirrorToolsException>();
        var notices = new List<string>();

        var resolved = await MirrorSourceLookup.ResolveAsync([session], _ => new OciMirrorProvider(connection),
            problems, notices, default);

        Assert.Empty(resolved);
        var problem = Assert.Single(problems);
        Assert.Equal(MirrorSourceLookup.FailedErrorId, problem.ErrorId);
        Assert.Contains(vnic, problem.Message);
        Assert.Contains("ocid1.vtap.oc1.iad.fake", problem.Message);
        Assert.Contains("read virtual-network-family", problem.Message);
        Assert.Contains("tunnel's outer source", Assert.Single(notices));
    }

    [Fact]
    public async Task OciSourceThatIsNoVnic_IsLeftToTheTunnelRule_WithoutACall()
    {
        await using var oci = new FakeOciEndpoint();
        using var home = new TempDirectory();
        using var connection = OciConnection.Resolve(new OciConnectionOptions { ConfigFile = oci.WriteConfig(home.Path), EndpointUrl = oci.Url },
            retry: FakeOciEndpoint.FastRetry);
        var session = new MirrorSession("Oci", "ocid1.vtap.oc1.iad.fake", "us-ashburn-1", "ocid1.loadbalancer.oc1.iad.fake", "ocid1.vnic.oc1.iad.t", "",
            0, 4242, null, null, new Dictionary<string, string>(), null) { SourceType = "LOAD_BALANCER" };
        var problems = new List<MirrorToolsException>();
        var notices = new List<string>();

        var resolved = await MirrorSourceLookup.ResolveAsync([session], _ => new OciMirrorProvider(connection), problems, notices, default);

        Assert.Empty(resolved);
        Assert.Empty(oci.Calls);
        Assert.Empty(problems);
        Assert.Equal(2, notices.Count);
        Assert.Contains("LOAD_BALANCER", notices[0]);
        Assert.Contains("not a VNIC", notices[0]);
        Assert.Contains("tunnel's outer source", notices[1]);
    }

    private FakeNetworkInterface AddEni(string ip)
    {
        var eni = new FakeNetworkInterface(_aws.State.NewId("eni"), _subnet, ip) { MacAddress = Mac };
        _aws.State.NetworkInterfaces.Add(eni);
        return eni;
    }

    private static MirrorSession AwsSession(string eniId) => new("Aws", "tms-0123456789abcdef0", "eu-west-1", eniId, "tmt-1", "tmf-1", 1, 42, null, null,
        new Dictionary<string, string>(), null);

    private async Task<(List<object> Resolved, List<MirrorToolsException> Problems, List<string> Notices)> ResolveAws(MirrorSession session,
        string? alsoGiven = null, bool withMac = true)
    {
        var problems = new List<MirrorToolsException>();
        var notices = new List<string>();
        var resolved = await MirrorSourceLookup.ResolveAsync(alsoGiven is null ? [session] : [session, alsoGiven], _ => new AwsMirrorProvider(_connection), problems, notices, default);
        return (withMac ? resolved : resolved.Where(v => v is not PhysicalAddress).ToList(), problems, notices);
    }

    private static List<PacketDirection> Directions(MirrorSource source)
    {
        using var reader = new InnerPacketReader(new InnerPacketReaderOptions { MirrorSource = source });
        return reader.ReadFile(TestPaths.PublicCapture(AwsCapture), CancellationToken.None).Select(o => o.Packet!.Direction).ToList();
    }

    private static (int Ingress, int Egress, int Unknown) Count(List<PacketDirection> directions) =>
        (directions.Count(d => d == PacketDirection.Ingress), directions.Count(d => d == PacketDirection.Egress),
         directions.Count(d => d == PacketDirection.Unknown));

    public async ValueTask DisposeAsync()
    {
        _connection.Dispose();
        await _aws.DisposeAsync();
    }
}
