using MirrorTools.Checks.Host.Firewall;

namespace MirrorTools.Tests.Checks;

/// <summary>
/// The firewall readers on listings as the tools print them (nft -j list ruleset, iptables-save,
/// firewall-cmd --list-all, netsh): the cases a namespace test cannot set up cheaply.
/// </summary>
public class FirewallRulesetTests
{
    private static readonly VxlanProbe Ipv4OnEth0 = new(false, 4789, "eth0");

    private static string Nft(string chainPolicy, params string[] rules) =>
        "{\"nftables\": [{\"metainfo\": {\"json_schema_version\": 1}}, {\"table\": {\"family\": \"inet\", \"name\": \"f\", \"handle\": 1}}," +
        $"{{\"chain\": {{\"family\": \"inet\", \"table\": \"f\", \"name\": \"input\", \"handle\": 1, \"type\": \"filter\", \"hook\": \"input\", \"prio\": 0, \"policy\": \"{chainPolicy}\"}}}}," +
        "{\"chain\": {\"family\": \"inet\", \"table\": \"f\", \"name\": \"vxlan\", \"handle\": 2}}" +
        string.Concat(rules.Select((r, i) => $",{{\"rule\": {{\"family\": \"inet\", \"table\": \"f\", \"chain\": \"{(r.StartsWith("@vxlan ") ? "vxlan" : "input")}\", \"handle\": {i + 3}, \"expr\": [{(r.StartsWith("@vxlan ") ? r[7..] : r)}]}}}}")) +
        "]}";

    private const string UdpDport4789 = "{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"udp\", \"field\": \"dport\"}}, \"right\": 4789}}";
    private const string TcpDport22 = "{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"tcp\", \"field\": \"dport\"}}, \"right\": 22}}";
    private const string CtEstablished = "{\"match\": {\"op\": \"in\", \"left\": {\"ct\": {\"key\": \"state\"}}, \"right\": [\"established\", \"related\"]}}";
    private const string CtInvalid = "{\"match\": {\"op\": \"in\", \"left\": {\"ct\": {\"key\": \"state\"}}, \"right\": \"invalid\"}}";

    [Fact]
    public void Nftables_DropPolicyWithOnlySshAndEstablished_Drops()
    {
        var verdict = NftablesRuleset.Evaluate(Nft("drop", CtEstablished + ", {\"accept\": null}", TcpDport22 + ", {\"accept\": null}"), Ipv4OnEth0);
        Assert.Equal(FirewallOutcome.Drops, verdict.Outcome);
        Assert.Contains("the drop policy of chain input of table inet f", verdict.Detail);
    }

    [Fact]
    public void Nftables_InvalidStateDropDoesNotTouchNewPackets_Admits() =>
        Assert.Equal(FirewallOutcome.Admits, NftablesRuleset.Evaluate(Nft("accept", CtInvalid + ", {\"drop\": null}"), Ipv4OnEth0).Outcome);

    [Fact]
    public void Nftables_DropInJumpedChain_DropsNamingTheInnerRule()
    {
        var verdict = NftablesRuleset.Evaluate(Nft("accept",
            "{\"match\": {\"op\": \"==\", \"left\": {\"meta\": {\"key\": \"l4proto\"}}, \"right\": \"udp\"}}, {\"jump\": {\"target\": \"vxlan\"}}",
            "@vxlan " + UdpDport4789 + ", {\"reject\": {\"type\": \"icmpx\", \"expr\": \"port-unreachable\"}}"), Ipv4OnEth0);
        Assert.Equal(FirewallOutcome.Drops, verdict.Outcome);
        Assert.Contains("in chain vxlan of table inet f", verdict.Detail);
    }

    [Fact]
    public void Nftables_ReturnFromJumpedChain_FallsBackToTheCaller()
    {
        var verdict = NftablesRuleset.Evaluate(Nft("drop",
            "{\"jump\": {\"target\": \"vxlan\"}}",
            UdpDport4789 + ", {\"accept\": null}",
            "@vxlan {\"return\": null}",
            "@vxlan {\"drop\": null}"), Ipv4OnEth0);
        Assert.Equal(FirewallOutcome.Admits, verdict.Outcome);
    }

    [Fact]
    public void Nftables_VerdictMapOnPort_IsFollowed()
    {
        const string vmap = "{\"vmap\": {\"key\": {\"payload\": {\"protocol\": \"udp\", \"field\": \"dport\"}}, \"data\": {\"set\": [[53, {\"accept\": null}], [{\"range\": [4000, 5000]}, {\"drop\": null}]]}}}";
        Assert.Equal(FirewallOutcome.Drops, NftablesRuleset.Evaluate(Nft("accept", vmap), Ipv4OnEth0).Outcome);
        Assert.Equal(FirewallOutcome.Admits, NftablesRuleset.Evaluate(Nft("accept", vmap), Ipv4OnEth0 with { Port = 53 }).Outcome);
    }

    /// <summary>nft -j list ruleset after: set blocked { 53, 4000-5000 }; map ports { 4789 : drop }; udp dport @blocked drop; udp dport vmap @ports.</summary>
    private const string NamedSets = """
        {"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, {"table": {"family": "inet", "name": "t", "handle": 1}},
         {"set": {"family": "inet", "name": "blocked", "table": "t", "type": "inet_service", "handle": 1, "flags": ["interval"], "elem": [53, {"range": [4000, 5000]}]}},
         {"map": {"family": "inet", "name": "ports", "table": "t", "type": "inet_service", "handle": 2, "map": "verdict", "elem": [[4789, {"drop": null}]]}},
         {"chain": {"family": "inet", "table": "t", "name": "input", "handle": 3, "type": "filter", "hook": "input", "prio": 0, "policy": "accept"}},
         {"rule": {"family": "inet", "table": "t", "chain": "input", "handle": 4, "expr": [{"match": {"op": "==", "left": {"payload": {"protocol": "udp", "field": "dport"}}, "right": "@blocked"}}, {"drop": null}]}},
         {"rule": {"family": "inet", "table": "t", "chain": "input", "handle": 5, "expr": [{"vmap": {"key": {"payload": {"protocol": "udp", "field": "dport"}}, "data": "@ports"}}]}}]}
        """;

    [Fact]
    public void Nftables_NamedSetAndMap_AreLookedUp()
    {
        var inSet = NftablesRuleset.Evaluate(NamedSets, Ipv4OnEth0);
        Assert.Equal(FirewallOutcome.Drops, inSet.Outcome);
        Assert.Contains("rule handle 4", inSet.Detail);
        var inMap = NftablesRuleset.Evaluate(NamedSets, Ipv4OnEth0 with { Port = 8472 });
        Assert.Equal(FirewallOutcome.Admits, inMap.Outcome);
        var mapOnly = NftablesRuleset.Evaluate(NamedSets.Replace("[53, {\"range\": [4000, 5000]}]", "[53]"), Ipv4OnEth0);
        Assert.Equal(FirewallOutcome.Drops, mapOnly.Outcome);
        Assert.Contains("rule handle 5", mapOnly.Detail);
    }

    [Fact]
    public void Nftables_SetNotInTheListing_MayMatch() =>
        Assert.Equal(FirewallOutcome.Depends, NftablesRuleset.Evaluate(Nft("accept",
            "{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"udp\", \"field\": \"dport\"}}, \"right\": \"@elsewhere\"}}, {\"drop\": null}"), Ipv4OnEth0).Outcome);

    [Fact]
    public void Nftables_InterfaceWildcard_MatchesByPrefix()
    {
        var ruleset = Nft("accept", "{\"match\": {\"op\": \"==\", \"left\": {\"meta\": {\"key\": \"iifname\"}}, \"right\": \"eth*\"}}, " + UdpDport4789 + ", {\"drop\": null}");
        Assert.Equal(FirewallOutcome.Drops, NftablesRuleset.Evaluate(ruleset, Ipv4OnEth0).Outcome);
        Assert.Equal(FirewallOutcome.Admits, NftablesRuleset.Evaluate(ruleset, Ipv4OnEth0 with { InterfaceName = "ens5" }).Outcome);
        Assert.Equal(FirewallOutcome.Depends, NftablesRuleset.Evaluate(ruleset, Ipv4OnEth0 with { InterfaceName = null }).Outcome);
    }

    [Fact]
    public void Nftables_Ip6MatchInInetChain_DoesNotApplyToIpv4()
    {
        var ruleset = Nft("accept", "{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"ip6\", \"field\": \"nexthdr\"}}, \"right\": \"udp\"}}, {\"drop\": null}");
        Assert.Equal(FirewallOutcome.Admits, NftablesRuleset.Evaluate(ruleset, Ipv4OnEth0).Outcome);
        Assert.Equal(FirewallOutcome.Drops, NftablesRuleset.Evaluate(ruleset, Ipv4OnEth0 with { Ipv6 = true }).Outcome);
    }

    [Fact]
    public void Nftables_SkippedTable_IsNotEvaluated() =>
        Assert.Equal(FirewallOutcome.Admits, NftablesRuleset.Evaluate(Nft("drop"), Ipv4OnEth0, new HashSet<string> { "inet f" }).Outcome);

    private const string IptablesSave = """
        # Generated by iptables-save v1.8.9 (nf_tables)
        *filter
        :INPUT DROP [0:0]
        :FORWARD DROP [0:0]
        :OUTPUT ACCEPT [0:0]
        :SERVICES - [0:0]
        -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
        -A INPUT -i lo -j ACCEPT
        -A INPUT -p tcp -m tcp --dport 22 -j ACCEPT
        -A INPUT -j SERVICES
        -A SERVICES -p udp -m udp ! --dport 4789 -j RETURN
        -A SERVICES -s 10.0.0.0/8 -p udp -m comment --comment "mirror sources" -j ACCEPT
        COMMIT
        """;

    [Fact]
    public void Iptables_DropPolicyWithSourceLimitedAccept_DependsOnTheSender()
    {
        var verdict = IptablesRuleset.Evaluate("iptables", IptablesSave, Ipv4OnEth0);
        Assert.Equal(FirewallOutcome.Depends, verdict.Outcome);
        Assert.Contains("unless rule 2 of filter SERVICES", verdict.Detail);
        Assert.Contains("iptables -t filter -I INPUT -p udp --dport 4789 -j ACCEPT", verdict.Remedy);
    }

    [Fact]
    public void Iptables_NegatedPortReturnsOtherPorts_ButNot4789()
    {
        // Port 53 returns from SERVICES, then meets the DROP policy.
        var verdict = IptablesRuleset.Evaluate("iptables", IptablesSave, Ipv4OnEth0 with { Port = 53 });
        Assert.Equal(FirewallOutcome.Drops, verdict.Outcome);
        Assert.Contains("the drop policy of filter INPUT", verdict.Detail);
    }

    [Fact]
    public void Iptables_LoopbackAccept_Admits() =>
        Assert.Equal(FirewallOutcome.Admits, IptablesRuleset.Evaluate("iptables", IptablesSave, Ipv4OnEth0 with { InterfaceName = "lo" }).Outcome);

    [Fact]
    public void Iptables_RawTableDrop_Drops()
    {
        const string raw = "*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -p udp -m multiport --dports 4000:5000 -j DROP\nCOMMIT\n";
        var verdict = IptablesRuleset.Evaluate("iptables", raw, Ipv4OnEth0);
        Assert.Equal(FirewallOutcome.Drops, verdict.Outcome);
        Assert.Contains("rule 1 of raw PREROUTING", verdict.Detail);
    }

    private const string PublicZone = """
        public (active)
          target: default
          icmp-block-inversion: no
          interfaces: eth0
          sources: 
          services: dhcpv6-client ssh
          ports: 8080/tcp
          protocols: 
          forward: yes
          masquerade: no
          forward-ports: 
          source-ports: 
          icmp-blocks: 
          rich rules: 
        	rule family="ipv4" source address="10.0.0.0/8" port port="4789" protocol="udp" accept
        """;

    private static IReadOnlyList<string> Services(string service) => service switch
    {
        "ssh" => ["22/tcp"],
        "vxlan" => ["4789/udp"],
        _ => [],
    };

    [Fact]
    public void Firewalld_RichRuleFromSourcesOnly_Depends()
    {
        var verdict = FirewalldZone.Decide("public", ZoneListing.Parse(PublicZone), Ipv4OnEth0, Services);
        Assert.Equal(FirewallOutcome.Depends, verdict.Outcome);
        Assert.Contains("--zone=public --add-port=4789/udp", verdict.Remedy);
    }

    [Fact]
    public void Firewalld_ServiceOrPortRange_Admits()
    {
        var withService = ZoneListing.Parse(PublicZone.Replace("services: dhcpv6-client ssh", "services: ssh vxlan"));
        Assert.Equal(FirewallOutcome.Admits, FirewalldZone.Decide("public", withService, Ipv4OnEth0, Services).Outcome);
        var withRange = ZoneListing.Parse(PublicZone.Replace("ports: 8080/tcp", "ports: 8080/tcp 4000-5000/udp"));
        Assert.Contains("4000-5000/udp", FirewalldZone.Decide("public", withRange, Ipv4OnEth0, Services).Detail);
    }

    [Fact]
    public void Firewalld_NothingOpen_Drops()
    {
        var closed = ZoneListing.Parse(PublicZone.Replace("port port=\"4789\"", "port port=\"514\""));
        Assert.Equal(FirewallOutcome.Drops, FirewalldZone.Decide("public", closed, Ipv4OnEth0, Services).Outcome);
        var trusted = ZoneListing.Parse(PublicZone.Replace("target: default", "target: ACCEPT"));
        Assert.Equal(FirewallOutcome.Admits, FirewalldZone.Decide("trusted", trusted, Ipv4OnEth0, Services).Outcome);
    }

    private const string NetshProfile = "\r\nPublic Profile Settings:\r\n----------------------------------------------------------------------\r\nState                                 ON\r\nFirewall Policy                       BlockInbound,AllowOutbound\r\n\r\nOk.\r\n";

    private static string NetshRule(string name, string action, string protocol = "UDP", string localPort = "4789", string remoteIp = "Any") =>
        $"\r\nRule Name:                            {name}\r\n----------------------------------------------------------------------\r\nEnabled:                              Yes\r\nDirection:                            In\r\nProfiles:                             Domain,Private,Public\r\nLocalIP:                              Any\r\nRemoteIP:                             {remoteIp}\r\nProtocol:                             {protocol}\r\nLocalPort:                            {localPort}\r\nRemotePort:                           Any\r\nAction:                               {action}\r\n";

    [Fact]
    public void WindowsFirewall_BlockInboundWithoutRule_Drops()
    {
        var verdict = WindowsFirewall.Decide(NetshProfile, NetshRule("Web", "Allow", "TCP", "80"), Ipv4OnEth0);
        Assert.Equal(FirewallOutcome.Drops, verdict.Outcome);
        Assert.Contains("New-NetFirewallRule", verdict.Remedy);
    }

    [Fact]
    public void WindowsFirewall_AllowRuleInRange_AdmitsButBlockRuleWins()
    {
        Assert.Equal(FirewallOutcome.Admits, WindowsFirewall.Decide(NetshProfile, NetshRule("VXLAN", "Allow", localPort: "4000-5000"), Ipv4OnEth0).Outcome);
        var blocked = WindowsFirewall.Decide(NetshProfile, NetshRule("VXLAN", "Allow") + NetshRule("No tunnels", "Block", "Any", "Any"), Ipv4OnEth0);
        Assert.Equal(FirewallOutcome.Drops, blocked.Outcome);
        Assert.Contains("'No tunnels'", blocked.Detail);
    }

    [Fact]
    public void WindowsFirewall_ProfileOff_Admits() =>
        Assert.Equal(FirewallOutcome.Admits, WindowsFirewall.Decide(NetshProfile.Replace("ON", "OFF"), "", Ipv4OnEth0).Outcome);
}
