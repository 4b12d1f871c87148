using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace MirrorTools.Tests.Module;

/// <summary>
/// MirrorTools.format.ps1xml has a view for every output type, and every column it shows reads a
/// property the type really has: a renamed property would otherwise show as an empty column.
/// </summary>
public partial class FormatFileTests
{
    private const string DeserializedPrefix = "Deserialized.";
    private static readonly XDocument FormatFile = XDocument.Load(ModuleFiles.FormatFilePath);

    public static TheoryData<string> ViewNames()
    {
        var data = new TheoryData<string>();
        foreach (var view in FormatFile.Descendants("View"))
            data.Add((string)view.Element("Name")!);
        return data;
    }

    [Fact]
    public void EveryOutputTypeOfEveryCmdlet_HasAView()
    {
        var viewed = FormatFile.Descendants("ViewSelectedBy").Elements("TypeName").Select(t => t.Value.Trim()).ToHashSet();
        var missing = ModuleFiles.Cmdlets
            .SelectMany(c => c.OutputTypes.Select(t => (Cmdlet: c.Name, Type: t)))
            .Where(o => o.Type.StartsWith("MirrorTools.", StringComparison.Ordinal) && !viewed.Contains(o.Type))
            .Select(o => $"{o.Cmdlet} -> {o.Type}")
            .ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void ViewNames_AreUnique()
    {
        var names = FormatFile.Descendants("View").Select(v => (string)v.Element("Name")!).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(ViewNames))]
    public void View_SelectsARealPublicType(string viewName)
    {
        foreach (var typeName in View(viewName).Descendants("TypeName"))
        {
            // PowerShell names an object rebuilt by remoting or Import-Clixml "Deserialized." and its type.
            var type = CoreType(typeName.Value.Trim().Replace(DeserializedPrefix, "", StringComparison.Ordinal));
            Assert.True(type is { IsPublic: true }, $"view {viewName}: {typeName.Value} is not a public type of MirrorTools.Core");
        }
    }

    [Theory]
    [MemberData(nameof(ViewNames))]
    public void TableView_HasOneColumnItemPerHeader(string viewName)
    {
        var table = View(viewName).Element("TableControl");
        if (table is null)
            return;
        int headers = table.Element("TableHeaders")!.Elements("TableColumnHeader").Count();
        foreach (var row in table.Descendants("TableColumnItems"))
            Assert.Equal(headers, row.Elements("TableColumnItem").Count());
    }

    [Theory]
    [MemberData(nameof(ViewNames))]
    public void View_ReadsOnlyPropertiesTheTypeHas(string viewName)
    {
        var view = View(viewName);
        var type = CoreType(view.Descendants("TypeName").First().Value.Trim());
        Assert.NotNull(type);

        var problems = new List<string>();
        foreach (var property in view.Descendants("PropertyName").Select(p => p.Value.Trim()))
        {
            if (type.GetProperty(property) is null)
                problems.Add($"<PropertyName>{property}</PropertyName>");
        }
        foreach (var script in view.Descendants("ScriptBlock").Select(s => s.Value))
        {
            var references = MemberReference().Matches(script);
            Assert.True(references.Count > 0 || !script.Contains("$_"), $"view {viewName}: cannot follow the members in {script}");
            foreach (Match reference in references)
            {
                var property = type.GetProperty(reference.Groups["property"].Value);
                if (property is null)
                {
                    problems.Add($"$_.{reference.Groups["property"].Value}");
                    continue;
                }
                var member = reference.Groups["member"];
                if (member.Success && !HasMember(property.PropertyType, member.Value))
                    problems.Add($"$_.{property.Name}.{member.Value} ({property.PropertyType.Name} has no {member.Value})");
            }
        }
        Assert.True(problems.Count == 0, $"view {viewName} on {type.FullName} reads what the type does not have: {string.Join(", ", problems)}");
    }

    [Theory]
    [InlineData(typeof(InnerFlow))]
    [InlineData(typeof(InnerPacket))]
    public void TypesThatCrossHosts_DeserializedToo_ShareTheView(Type type)
    {
        var view = FormatFile.Descendants("View").Single(v => v.Descendants("TypeName").Any(t => t.Value.Trim() == type.FullName));

        Assert.Contains(view.Descendants("TypeName"), t => t.Value.Trim() == DeserializedPrefix + type.FullName);
    }

    [Fact]
    public void DeserializedViews_ReadMembersOnlyOfValuesThatStayTyped()
    {
        // Deserialized, an IPAddress or other object is a string or a property bag: $_.SourceAddress.AddressFamily
        // would be empty. DateTime, TimeSpan, strings and numbers come back as themselves.
        var survivors = new[] { typeof(DateTime), typeof(TimeSpan), typeof(string), typeof(int), typeof(long) };
        var problems = new List<string>();
        foreach (var view in FormatFile.Descendants("View")
                     .Where(v => v.Descendants("TypeName").Any(t => t.Value.Trim().StartsWith(DeserializedPrefix, StringComparison.Ordinal))))
        {
            var type = CoreType(view.Descendants("TypeName").First().Value.Trim())!;
            foreach (Match reference in view.Descendants("ScriptBlock").SelectMany(s => MemberReference().Matches(s.Value)))
            {
                var propertyType = type.GetProperty(reference.Groups["property"].Value)!.PropertyType;
                propertyType = Nullable.GetUnderlyingType(propertyType) ?? propertyType;
                if (reference.Groups["member"].Success && !survivors.Contains(propertyType))
                    problems.Add($"{(string)view.Element("Name")!}: {reference.Value} ({propertyType.Name})");
            }
        }
        Assert.Empty(problems);
    }

    [Fact]
    public void InnerPacketViews_NeverReadPacket_SoATableDoesNotRunPacketDotNet()
    {
        var views = FormatFile.Descendants("View")
            .Where(v => v.Descendants("TypeName").Any(t => t.Value.Trim() == typeof(InnerPacket).FullName)).ToList();

        Assert.NotEmpty(views);
        foreach (var view in views)
        {
            Assert.DoesNotContain(view.Descendants("PropertyName"), p => p.Value.Trim() == nameof(InnerPacket.Packet));
            Assert.DoesNotContain(view.Descendants("ScriptBlock").SelectMany(s => MemberReference().Matches(s.Value)),
                reference => reference.Groups["property"].Value == nameof(InnerPacket.Packet));
        }
    }

    private static XElement View(string name) =>
        FormatFile.Descendants("View").Single(v => (string)v.Element("Name")! == name);

    private static Type? CoreType(string fullName) => typeof(CapturedFrame).Assembly.GetType(fullName);

    // PowerShell gives every object Count and Length; anything else must be a real member.
    private static bool HasMember(Type type, string name)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (name is "Count" or "Length")
            return true;
        return type.GetMember(name, BindingFlags.Public | BindingFlags.Instance).Length > 0
            || type.GetInterfaces().Any(i => i.GetMember(name).Length > 0);
    }

    // $_.Property, optionally followed by .Member (a property or a method call).
    [GeneratedRegex(@"\$_\.(?<property>[A-Za-z]\w*)(\.(?<member>[A-Za-z]\w*))?")]
    private static partial Regex MemberReference();
}
