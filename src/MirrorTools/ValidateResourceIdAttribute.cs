using System.Management.Automation;
using MirrorTools.Cloud;

namespace MirrorTools;

/// <summary>
/// Refuses, while parameters bind (before any call), an id that is not an EC2 id with one of the
/// given prefixes or (with <see cref="Ocid"/>) an OCID: see <see cref="ResourceIds"/>. Applies to
/// ids bound from the pipeline too. The message carries the ResourceIdInvalid problem's text.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class ValidateResourceIdAttribute(params string[] awsPrefixes) : ValidateEnumeratedArgumentsAttribute
{
    /// <summary>OCIDs are accepted too.</summary>
    public bool Ocid { get; set; }

    /// <summary>Called for a single value and for each element of an array.</summary>
    protected override void ValidateElement(object element)
    {
        var value = element is PSObject wrapped ? wrapped.BaseObject : element;
        if (value is not string id)
            return;
        if (ResourceIds.Check(id, "The value", awsPrefixes, Ocid) is { } problem)
            throw new ValidationMetadataException($"{problem.Message} ({ResourceIds.InvalidId})");
    }
}
