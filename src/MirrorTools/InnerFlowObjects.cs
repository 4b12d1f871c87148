using System.Collections;
using System.Management.Automation;
using MirrorTools.Flows;

namespace MirrorTools;

/// <summary>
/// InnerFlow objects as PowerShell hands them to Get-InnerFlow: live ones, or property bags
/// rebuilt by remoting, Import-Clixml, ConvertFrom-Json or Import-Csv. Remoting's PSComputerName
/// is kept in the flow's Source, so a merged flow says which hosts saw it.
/// </summary>
internal static class InnerFlowObjects
{
    public const string NotAFlowErrorId = "InputNotAFlow";

    /// <exception cref="MirrorToolsException"><see cref="NotAFlowErrorId"/> or <see cref="FlowHalfReader.InvalidErrorId"/>, the object as target.</exception>
    public static FlowHalf Read(PSObject input)
    {
        if (input.BaseObject is InnerFlow flow)
            return FlowHalf.From(flow);
        if (input.TypeNames.Any(t => t.EndsWith("MirrorTools.InnerPacket", StringComparison.Ordinal)))
            throw new MirrorToolsException(NotAFlowErrorId, ProblemCategory.InvalidArgument,
                "Packets from another host cannot be merged into flows here: run Get-InnerFlow on each host " +
                "(Invoke-Command -HostName cap1, cap2 { Get-InnerFlow -Interface eth0 -Duration 00:05:00 }) and pipe the flows to Get-InnerFlow.", input);
        var half = FlowHalfReader.Read(name => Plain(input.Properties[name]?.Value), input);
        return input.Properties["PSComputerName"]?.Value is string { Length: > 0 } computer
            ? half with { Source = $"{computer}: {half.Source}" }
            : half;
    }

    /// <summary>The value itself; a nested property bag (an IPAddress or TimeSpan rebuilt from JSON or CliXml) as a dictionary.</summary>
    private static object? Plain(object? value)
    {
        if (value is not PSObject wrapped)
            return value;
        if (wrapped.BaseObject is not PSCustomObject)
            return wrapped.BaseObject;
        var bag = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var property in wrapped.Properties)
            bag[property.Name] = property.Value is PSObject inner ? inner.BaseObject : property.Value;
        // A deserialized object keeps its ToString: for an IPAddress, the address.
        bag["ToString"] = wrapped.ToString();
        return bag;
    }
}
