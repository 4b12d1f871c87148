using System.Collections;
using System.Globalization;

namespace MirrorTools.Cloud.Aws;

/// <summary>
/// The parameters of one Query API request, with helpers for the flattened list, filter and tag
/// spellings: <c>InstanceId.1</c>, <c>Filter.1.Name</c>/<c>Filter.1.Value.1</c>,
/// <c>TagSpecification.1.Tag.1.Key</c>, ELBv2's <c>LoadBalancerArns.member.1</c>.
/// </summary>
internal sealed class AwsQuery : IReadOnlyDictionary<string, string>
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private int _filterCount;

    public AwsQuery Add(string name, string? value)
    {
        if (value is not null)
            _values[name] = value;
        return this;
    }

    public AwsQuery Add(string name, int? value) =>
        value is null ? this : Add(name, value.Value.ToString(CultureInfo.InvariantCulture));

    public AwsQuery Add(string name, bool value) => Add(name, value ? "true" : "false");

    /// <summary>Adds <c>prefix.1</c>, <c>prefix.2</c>, …; pass <c>LoadBalancerArns.member</c> for ELBv2 lists.</summary>
    public AwsQuery AddList(string prefix, IEnumerable<string> values)
    {
        var n = 0;
        foreach (var value in values)
            _values[$"{prefix}.{++n}"] = value;
        return this;
    }

    /// <summary>Adds one EC2 filter: <c>Filter.N.Name</c> and its <c>Filter.N.Value.M</c>.</summary>
    public AwsQuery AddFilter(string name, params string[] values)
    {
        var n = ++_filterCount;
        _values[$"Filter.{n}.Name"] = name;
        for (var i = 0; i < values.Length; i++)
            _values[$"Filter.{n}.Value.{i + 1}"] = values[i];
        return this;
    }

    /// <summary>Tags a resource at creation: <c>TagSpecification.1.ResourceType</c> and its tags.</summary>
    public AwsQuery AddTagSpecification(string resourceType, IEnumerable<KeyValuePair<string, string>> tags)
    {
        var list = tags.ToList();
        if (list.Count == 0)
            return this;
        _values["TagSpecification.1.ResourceType"] = resourceType;
        for (var i = 0; i < list.Count; i++)
        {
            _values[$"TagSpecification.1.Tag.{i + 1}.Key"] = list[i].Key;
            _values[$"TagSpecification.1.Tag.{i + 1}.Value"] = list[i].Value;
        }
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
