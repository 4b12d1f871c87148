using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace MirrorTools.Tests.Module;

/// <summary>A cmdlet class as its attributes declare it.</summary>
internal sealed record CmdletDeclaration(string Verb, string Noun, string ClassName, IReadOnlyList<string> OutputTypes,
    IReadOnlyList<string> Parameters, bool SupportsShouldProcess)
{
    public string Name => $"{Verb}-{Noun}";

    /// <summary>The parameters a user sees: with ShouldProcess, PowerShell adds -WhatIf and -Confirm (platyPS documents them).</summary>
    public IEnumerable<string> UserParameters => SupportsShouldProcess ? Parameters.Concat(["WhatIf", "Confirm"]) : Parameters;
}

/// <summary>
/// Reads the [Cmdlet], [OutputType] and [Parameter] attributes of MirrorTools.dll straight from its
/// metadata. Loading the types would need the real System.Management.Automation, which only a
/// PowerShell process has; the metadata needs nothing but the file.
/// </summary>
internal static class CmdletMetadata
{
    private const string AutomationNamespace = "System.Management.Automation";

    public static IReadOnlyList<CmdletDeclaration> Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var cmdlets = new List<CmdletDeclaration>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            var cmdlet = FindAttribute(reader, type.GetCustomAttributes(), "CmdletAttribute");
            if (cmdlet is null)
                continue;
            var arguments = cmdlet.Value.FixedArguments;
            var outputTypes = Attributes(reader, type.GetCustomAttributes(), "OutputTypeAttribute")
                .SelectMany(a => TypeNames(a.FixedArguments[0]))
                .ToList();
            var supportsShouldProcess = cmdlet.Value.NamedArguments
                .Any(a => a.Name == "SupportsShouldProcess" && a.Value is true);
            cmdlets.Add(new CmdletDeclaration((string)arguments[0].Value!, (string)arguments[1].Value!,
                reader.GetString(type.Name), outputTypes, Parameters(reader, type), supportsShouldProcess));
        }
        return cmdlets;
    }

    /// <summary>The [Parameter] properties of a cmdlet class and of its base classes in the same assembly.</summary>
    private static List<string> Parameters(MetadataReader reader, TypeDefinition type)
    {
        var names = new List<string>();
        while (true)
        {
            foreach (var propertyHandle in type.GetProperties())
            {
                var property = reader.GetPropertyDefinition(propertyHandle);
                if (Attributes(reader, property.GetCustomAttributes(), "ParameterAttribute").Any())
                    names.Add(reader.GetString(property.Name));
            }
            if (type.BaseType.Kind != HandleKind.TypeDefinition)
                return names;
            type = reader.GetTypeDefinition((TypeDefinitionHandle)type.BaseType);
        }
    }

    private static IEnumerable<string> TypeNames(CustomAttributeTypedArgument<string> argument) =>
        argument.Value switch
        {
            ImmutableArray<CustomAttributeTypedArgument<string>> items => items.Select(i => ShortTypeName((string)i.Value!)),
            string single => [ShortTypeName(single)],
            _ => [],
        };

    // "MirrorTools.InnerPacket, MirrorTools.Core, Version=..." -> "MirrorTools.InnerPacket"
    private static string ShortTypeName(string serializedName) => serializedName.Split(',')[0].Trim();

    private static CustomAttributeValue<string>? FindAttribute(MetadataReader reader, CustomAttributeHandleCollection handles, string name) =>
        Attributes(reader, handles, name).Cast<CustomAttributeValue<string>?>().FirstOrDefault();

    private static IEnumerable<CustomAttributeValue<string>> Attributes(MetadataReader reader, CustomAttributeHandleCollection handles, string name)
    {
        foreach (var handle in handles)
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference)
                continue;
            var constructor = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            if (constructor.Parent.Kind != HandleKind.TypeReference)
                continue;
            var attributeType = reader.GetTypeReference((TypeReferenceHandle)constructor.Parent);
            if (reader.GetString(attributeType.Name) == name && reader.GetString(attributeType.Namespace) == AutomationNamespace)
                yield return attribute.DecodeValue(TypeNameProvider.Instance);
        }
    }

    /// <summary>Decodes attribute arguments with types as their names; PowerShell's enums are all int-backed.</summary>
    private sealed class TypeNameProvider : ICustomAttributeTypeProvider<string>
    {
        public static readonly TypeNameProvider Instance = new();

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetSystemType() => "System.Type";
        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            var type = reader.GetTypeDefinition(handle);
            return $"{reader.GetString(type.Namespace)}.{reader.GetString(type.Name)}";
        }
        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            var type = reader.GetTypeReference(handle);
            return $"{reader.GetString(type.Namespace)}.{reader.GetString(type.Name)}";
        }
        public string GetTypeFromSerializedName(string name) => name;
        public PrimitiveTypeCode GetUnderlyingEnumType(string type) => PrimitiveTypeCode.Int32;
        public bool IsSystemType(string type) => type == "System.Type";
    }
}
