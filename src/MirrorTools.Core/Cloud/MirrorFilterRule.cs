namespace MirrorTools;

/// <summary>One filter rule. Protocol is the IP protocol number (6 TCP, 17 UDP); null means all protocols.</summary>
public sealed class MirrorFilterRule
{
    internal MirrorFilterRule(string? id, MirrorDirection direction, int ruleNumber, string action, int? protocol,
        string sourceCidr, string destinationCidr, PortRange? sourcePorts, PortRange? destinationPorts, string? description)
    {
        Id = id;
        Direction = direction;
        RuleNumber = ruleNumber;
        Action = action;
        Protocol = protocol;
        SourceCidr = sourceCidr;
        DestinationCidr = destinationCidr;
        SourcePorts = sourcePorts;
        DestinationPorts = destinationPorts;
        Description = description;
    }

    /// <summary>The rule id (tmfr-…); null for a rule that is only planned.</summary>
    public string? Id { get; }

    /// <summary>Ingress or Egress (never Both: AWS rules have one direction).</summary>
    public MirrorDirection Direction { get; }

    public int RuleNumber { get; }

    /// <summary>"accept" or "reject".</summary>
    public string Action { get; }

    public int? Protocol { get; }

    public string SourceCidr { get; }

    public string DestinationCidr { get; }

    public PortRange? SourcePorts { get; }

    public PortRange? DestinationPorts { get; }

    public string? Description { get; }

    public bool Accepts => Action == "accept";

    public override string ToString() =>
        $"{Direction} {RuleNumber} {Action} {(Protocol is null ? "all" : Protocol.ToString())} {SourceCidr}{(SourcePorts is null ? "" : ":" + SourcePorts)} -> {DestinationCidr}{(DestinationPorts is null ? "" : ":" + DestinationPorts)}";
}
