using System.Collections;
using System.Globalization;

namespace MirrorTools.Cloud.Aws;

/// <summary>
/// The parameters of one ELBv2 Query API request, with a helper for the flattened list spelling
/// <c>LoadBalancerArns.member.1</c>.
/// </summary>
internal sealed class AwsQuery : IReadOnlyDictionary<string, string>
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public AwsQuery Add(string name, string? value)
    {
        if (value is not null)
            _values[name] = value;
        return this;
    }

    public AwsQuery Add(string name, int? value) =>
        value is null ? this : Add(name, value.Value.ToString(CultureInfo.InvariantCulture));

    public AwsQuery Add(string name, bool value) => Add(name, value ? "true" : "false");

    /// <summary>Adds <c>prefix.1</c>, <c>prefix.2</c>, …; pass <c>LoadBalancerArns.member</c> for a list.</summary>
    public AwsQuery AddList(string prefix, IEnumerable<string> values)
    {
        var n = 0;
        foreach (var value in values)
            _values[$"{prefix}.{++n}"] = value;
        return this;
    }

    public string this[string key] => _values[key];
    public IEnumerable<string> Keys => _values.Keys;
    public IEnumerable<string> Values => _values.Values;
    public int Count => _values.Count;
    public bool ContainsKey(string key) => _values.ContainsKey(key);
    public bool TryGetValue(string key, out string value) => _values.TryGetValue(key, out value!);
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _values.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
