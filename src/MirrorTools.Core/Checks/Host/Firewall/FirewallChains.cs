namespace MirrorTools.Checks.Host.Firewall;

internal enum RuleAction
{
    /// <summary>Counts, logs, marks: the packet goes on to the next rule.</summary>
    None,
    Accept,
    Drop,
    Jump,
    Goto,
    Return,
}

/// <summary>One rule, already matched against the probe packet.</summary>
internal sealed record FirewallRule(RuleMatch Match, RuleAction Action, string? TargetChain, string Description);

/// <summary>A chain; base chains (hooked into input or prerouting) have a policy, user chains do not.</summary>
internal sealed record FirewallChain(string Key, string DisplayName, IReadOnlyList<FirewallRule> Rules, bool IsBase, bool PolicyDrops,
    string AcceptRemedy);

/// <summary>
/// Walks chains the way netfilter does: the first matching terminal rule decides, jumps return to
/// the caller, a goto does not, the end of a base chain applies its policy. Rules that may or may
/// not match (Maybe) are remembered, so the outcome can say "drops unless the sender is …".
/// Every base chain sees the packet; one drop anywhere drops it.
/// </summary>
internal static class FirewallChains
{
    private const int MaximumJumpDepth = 32;

    private enum Ending
    {
        Accept,
        Drop,
        FallThrough,
    }

    private sealed record Walk(Ending Ending, string? DroppedBy, string? MaybeDroppedBy, string? MaybeAcceptedBy);

    public static FirewallVerdict Evaluate(string layer, IReadOnlyDictionary<string, FirewallChain> chains, VxlanProbe probe)
    {
        var admittedBy = new List<string>();
        FirewallVerdict? depends = null;
        foreach (var chain in chains.Values.Where(c => c.IsBase))
        {
            var walk = WalkChain(chains, chain, 0);
            if (walk.Ending == Ending.Drop && walk.MaybeAcceptedBy is null)
                return new FirewallVerdict(layer, FirewallOutcome.Drops,
                    $"{probe.Family} UDP {probe.Port} is dropped by {walk.DroppedBy}", chain.AcceptRemedy, probe.Ipv6);
            if (walk.Ending == Ending.Drop)
                depends ??= new FirewallVerdict(layer, FirewallOutcome.Depends,
                    $"{probe.Family} UDP {probe.Port} is dropped by {walk.DroppedBy} unless {walk.MaybeAcceptedBy} matches the sender", chain.AcceptRemedy, probe.Ipv6);
            else if (walk.MaybeDroppedBy is not null)
                depends ??= new FirewallVerdict(layer, FirewallOutcome.Depends,
                    $"{probe.Family} UDP {probe.Port} may be dropped by {walk.MaybeDroppedBy}, depending on the sender", chain.AcceptRemedy, probe.Ipv6);
            else
                admittedBy.Add(chain.DisplayName);
        }
        return depends ?? new FirewallVerdict(layer, FirewallOutcome.Admits,
            admittedBy.Count == 0 ? $"no input chain filters {probe.Family}" : $"{probe.Family} UDP {probe.Port} passes {string.Join(", ", admittedBy)}", Ipv6: probe.Ipv6);
    }

    private static Walk WalkChain(IReadOnlyDictionary<string, FirewallChain> chains, FirewallChain chain, int depth)
    {
        string? maybeDrop = null, maybeAccept = null;
        foreach (var rule in chain.Rules)
        {
            if (rule.Match == RuleMatch.No)
                continue;
            var certain = rule.Match == RuleMatch.Yes;
            switch (rule.Action)
            {
                case RuleAction.Accept when certain:
                    return new Walk(Ending.Accept, null, maybeDrop, maybeAccept);
                case RuleAction.Accept:
                    maybeAccept ??= rule.Description;
                    break;
                case RuleAction.Drop when certain:
                    return new Walk(Ending.Drop, rule.Description, maybeDrop, maybeAccept);
                case RuleAction.Drop:
                    maybeDrop ??= rule.Description;
                    break;
                case RuleAction.Return when certain:
                    return End(chain, maybeDrop, maybeAccept);
                case RuleAction.Jump or RuleAction.Goto:
                    if (depth >= MaximumJumpDepth || rule.TargetChain is null || !chains.TryGetValue(rule.TargetChain, out var target))
                    {
                        maybeDrop ??= $"{rule.Description} (its target chain could not be followed)";
                        break;
                    }
                    var inner = WalkChain(chains, target, depth + 1);
                    maybeDrop ??= inner.MaybeDroppedBy;
                    maybeAccept ??= inner.MaybeAcceptedBy;
                    if (inner.Ending == Ending.Accept)
                    {
                        if (certain)
                            return inner with { MaybeDroppedBy = maybeDrop, MaybeAcceptedBy = maybeAccept };
                        maybeAccept ??= rule.Description;
                    }
                    else if (inner.Ending == Ending.Drop)
                    {
                        if (certain)
                            return inner with { MaybeDroppedBy = maybeDrop, MaybeAcceptedBy = maybeAccept };
                        maybeDrop ??= inner.DroppedBy;
                    }
                    else if (rule.Action == RuleAction.Goto && certain)
                    {
                        return End(chain, maybeDrop, maybeAccept);
                    }
                    break;
            }
        }
        return End(chain, maybeDrop, maybeAccept);
    }

    /// <summary>Leaving a user chain returns to its caller; leaving a base chain applies its policy.</summary>
    private static Walk End(FirewallChain chain, string? maybeDrop, string? maybeAccept)
    {
        if (!chain.IsBase)
            return new Walk(Ending.FallThrough, null, maybeDrop, maybeAccept);
        return chain.PolicyDrops
            ? new Walk(Ending.Drop, $"the drop policy of {chain.DisplayName}", maybeDrop, maybeAccept)
            : new Walk(Ending.Accept, null, maybeDrop, maybeAccept);
    }
}
