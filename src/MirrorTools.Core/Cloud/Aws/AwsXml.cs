using System.Globalization;
using System.Xml.Linq;

namespace MirrorTools.Cloud.Aws;

/// <summary>
/// Reading ELBv2 Query API responses. <see cref="AwsQueryClient"/> strips XML namespaces, so element
/// names are the plain names of the API reference: <c>x.Text("instanceState/name")</c>.
/// </summary>
internal static class AwsXml
{
    /// <summary>The element at a slash-separated path of child names, or null.</summary>
    public static XElement? At(this XElement element, string path)
    {
        XElement? current = element;
        foreach (var name in path.Split('/'))
        {
            current = current.Element(name);
            if (current is null)
                return null;
        }
        return current;
    }

    /// <summary>The trimmed text at a path, or null when the element is absent or empty.</summary>
    public static string? Text(this XElement element, string path)
    {
        var value = element.At(path)?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    public static int? Int(this XElement element, string path) =>
        int.TryParse(element.Text(path), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>The entries of a list (<c>item</c> or <c>member</c> children) at a path; empty when absent.</summary>
    public static IEnumerable<XElement> Items(this XElement element, string path) =>
        element.At(path)?.Elements().Where(e => e.Name.LocalName is "item" or "member") ?? [];

    /// <summary>A copy of the document with every namespace removed, so lookups use plain names.</summary>
    public static XElement WithoutNamespaces(XElement element) =>
        new(element.Name.LocalName,
            element.Attributes().Where(a => !a.IsNamespaceDeclaration).Select(a => new XAttribute(a.Name.LocalName, a.Value)),
            element.Nodes().Select(n => n is XElement child ? WithoutNamespaces(child) : n));
}
