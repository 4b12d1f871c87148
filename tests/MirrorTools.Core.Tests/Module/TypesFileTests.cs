using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace MirrorTools.Tests.Module;

/// <summary>
/// MirrorTools.types.ps1xml gives InnerPacket its byte and PacketDotNet members as hidden script
/// properties over public Get methods, so PowerShell users keep <c>$p.Frame</c> while exports
/// (which write every visible property) leave them out; and the manifest loads it.
/// </summary>
public partial class TypesFileTests
{
    private static readonly XDocument TypesFile = XDocument.Load(ModuleFiles.TypesFilePath);

    [Fact]
    public void Manifest_LoadsTheTypesFile()
    {
        Assert.Equal([Path.GetFileName(ModuleFiles.TypesFilePath)], ModuleFiles.ManifestList("TypesToProcess"));
    }

    [Theory]
    [InlineData("Frame", typeof(byte[]))]
    [InlineData("Payload", typeof(ArraySegment<byte>))]
    [InlineData("VniChain", typeof(IReadOnlyList<int>))]
    [InlineData("Packet", typeof(PacketDotNet.Packet))]
    public void InnerPacket_HidesItsBytesAndModel_BehindAPublicGetMethod(string name, Type type)
    {
        var member = TypesFile.Descendants("Type").Single(t => (string)t.Element("Name")! == typeof(InnerPacket).FullName)
            .Descendants("ScriptProperty").Single(p => (string)p.Element("Name")! == name);

        Assert.Equal("true", (string?)member.Attribute("IsHidden"));
        var call = GetterCall().Match((string)member.Element("GetScriptBlock")!);
        Assert.True(call.Success, $"{name}'s getter is not a call of a Get method on $this");
        var method = typeof(InnerPacket).GetMethod(call.Groups["method"].Value, BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
        Assert.NotNull(method);
        Assert.Equal(type, method.ReturnType);
        // A collection returned without the leading comma would reach the user as object[] of its elements.
        Assert.Equal(typeof(System.Collections.IEnumerable).IsAssignableFrom(type), call.Groups["comma"].Success);
        // Visible to PowerShell's adapter, the property would be exported again.
        Assert.Null(typeof(InnerPacket).GetProperty(name, BindingFlags.Public | BindingFlags.Instance));
    }

    [Fact]
    public void InnerPacket_SerializesEveryVisiblePropertyWithFrameAndVniChain_NotPacket()
    {
        // Remoting and Export-Clixml would otherwise run PacketDotNet on every packet for Packet's text.
        var serialized = TypesFile.Descendants("Type").Single(t => (string)t.Element("Name")! == typeof(InnerPacket).FullName)
            .Descendants("PropertySet").Single(p => (string)p.Element("Name")! == "PropertySerializationSet")
            .Element("ReferencedProperties")!.Elements("Name").Select(n => n.Value.Trim()).Order(StringComparer.Ordinal);
        var expected = typeof(InnerPacket).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name)
            .Append("Frame").Append("VniChain").Order(StringComparer.Ordinal);

        Assert.Equal(expected, serialized);
    }

    [GeneratedRegex(@"^\s*(?<comma>,\s*)?\$this\.(?<method>Get\w+)\(\)\s*$")]
    private static partial Regex GetterCall();
}
