using System.Globalization;

namespace MirrorTools.Tests.Cloud.FakeAws;

/// <summary>A decoded Query API request: its form parameters and the list/filter/tag spellings read back.</summary>
public sealed class FakeAwsRequest(string action, IReadOnlyDictionary<string, string> parameters)
{
    public string Action { get; } = action;
    public IReadOnlyDictionary<string, string> Parameters { get; } = parameters;

    public string? Get(string name) => Parameters.TryGetValue(name, out var v) ? v : null;

    public string Required(string name) => Get(name)
        ?? throw new FakeAwsError("MissingParameter", $"The request must contain the parameter {name}");

    public int? Int(string name)
    {
        var text = Get(name);
        if (text is null)
            return null;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new FakeAwsError("InvalidParameterValue", $"Value ({text}) for parameter {name} is invalid. Expected an integer.");
    }

    public bool Flag(string name) => string.Equals(Get(name), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Values of <c>prefix.1</c>, <c>prefix.2</c>, … in index order (EC2 lists; pass "X.member" for ELBv2).</summary>
    public List<string> List(string prefix) =>
        Parameters.Where(p => p.Key.StartsWith(prefix + ".", StringComparison.Ordinal) && int.TryParse(p.Key[(prefix.Length + 1)..], out _))
            .OrderBy(p => int.Parse(p.Key[(prefix.Length + 1)..], CultureInfo.InvariantCulture))
            .Select(p => p.Value).ToList();

    /// <summary>EC2 <c>Filter.N.Name</c> / <c>Filter.N.Value.M</c>.</summary>
    public List<(string Name, List<string> Values)> Filters() =>
        Parameters.Keys.Where(k => k.StartsWith("Filter.", StringComparison.Ordinal) && k.EndsWith(".Name", StringComparison.Ordinal))
            .Select(k => k[..^".Name".Length])
            .Select(prefix => (Parameters[prefix + ".Name"], List(prefix + ".Value")))
            .ToList();

    /// <summary>Tags from <c>TagSpecification.N</c> whose ResourceType is <paramref name="resourceType"/>.</summary>
    public Dictionary<string, string> Tags(string resourceType)
    {
        var tags = new Dictionary<string, string>();
        for (var n = 1; Get($"TagSpecification.{n}.ResourceType") is { } type; n++)
        {
            if (type != resourceType)
                throw new FakeAwsError("InvalidParameterValue", $"'{type}' is not a valid taggable resource type for this operation.");
            for (var t = 1; Get($"TagSpecification.{n}.Tag.{t}.Key") is { } key; t++)
                tags[key] = Get($"TagSpecification.{n}.Tag.{t}.Value") ?? "";
        }
        return tags;
    }
}

/// <summary>An AWS error the fake answers with (code, message, HTTP status).</summary>
public sealed class FakeAwsError(string code, string message, int status = 400) : Exception(message)
{
    public string Code { get; } = code;
    public int Status { get; } = status;
}

/// <summary>One request the endpoint received (after decoding; rejected ones too, with their error code).</summary>
public sealed record FakeAwsCall(string Api, string Action, IReadOnlyDictionary<string, string> Parameters, string? ErrorCode)
{
    public bool DryRun => Parameters.TryGetValue("DryRun", out var v) && v == "true";

    /// <summary>True for any action that is not a read (Describe*, Get*, List*).</summary>
    public bool IsMutating => !(Action.StartsWith("Describe", StringComparison.Ordinal) || Action.StartsWith("Get", StringComparison.Ordinal)
        || Action.StartsWith("List", StringComparison.Ordinal));
}
