namespace MirrorTools.Checks.Host.Firewall;

/// <summary>Whether a rule's conditions hold for the probe packet; Maybe when they depend on what is not known (the sender).</summary>
internal enum RuleMatch
{
    No,
    Maybe,
    Yes,
}

internal static class RuleMatchExtensions
{
    /// <summary>All conditions of a rule must hold: the weakest one decides.</summary>
    public static RuleMatch And(this RuleMatch left, RuleMatch right) => (RuleMatch)Math.Min((int)left, (int)right);

    public static RuleMatch Not(this RuleMatch match) => match switch
    {
        RuleMatch.Yes => RuleMatch.No,
        RuleMatch.No => RuleMatch.Yes,
        _ => RuleMatch.Maybe,
    };

    public static RuleMatch From(bool holds) => holds ? RuleMatch.Yes : RuleMatch.No;
}
