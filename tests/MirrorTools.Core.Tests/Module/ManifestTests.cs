namespace MirrorTools.Tests.Module;

/// <summary>MirrorTools.psd1 declares exactly what MirrorTools.dll implements; publishing adds the project's version.</summary>
public class ManifestTests
{
    [Fact]
    public void CmdletsToExport_ListsEveryCmdletClass_AndNothingElse()
    {
        var declared = ModuleFiles.Cmdlets.Select(c => c.Name).Order(StringComparer.Ordinal).ToList();
        var exported = ModuleFiles.ManifestList("CmdletsToExport").Order(StringComparer.Ordinal).ToList();

        Assert.NotEmpty(declared);
        Assert.Equal(declared, exported);
    }

    [Fact]
    public void TrackedModuleVersion_IsThePlaceholderPublishingStamps()
    {
        // The version lives in Directory.Build.props only. A real version here would be a second
        // place to bump; a changed placeholder means something rewrote the tracked manifest.
        Assert.Equal(ModuleFiles.ManifestVersionPlaceholder, ModuleFiles.ManifestValue("ModuleVersion"));
        Assert.NotEqual(ModuleFiles.ManifestVersionPlaceholder, ModuleFiles.ProjectVersion);
    }

    [Theory]
    [InlineData("FunctionsToExport")]
    [InlineData("VariablesToExport")]
    [InlineData("AliasesToExport")]
    public void NonCmdletExports_AreExplicitlyEmpty(string key)
    {
        Assert.Empty(ModuleFiles.ManifestList(key));
    }

    [Fact]
    public void RootModule_IsTheCmdletAssembly()
    {
        Assert.Equal("MirrorTools.dll", ModuleFiles.ManifestValue("RootModule"));
    }

    [Fact]
    public void Manifest_TargetsPowerShell74OnCore()
    {
        Assert.Equal("7.4", ModuleFiles.ManifestValue("PowerShellVersion"));
        Assert.Equal(["Core"], ModuleFiles.ManifestList("CompatiblePSEditions"));
    }

    [Fact]
    public void FormatsToProcess_NamesTheFormatFile()
    {
        Assert.Equal([Path.GetFileName(ModuleFiles.FormatFilePath)], ModuleFiles.ManifestList("FormatsToProcess"));
        Assert.True(File.Exists(ModuleFiles.FormatFilePath));
    }

    [Fact]
    public void Guid_IsAValidGuid()
    {
        Assert.True(Guid.TryParse(ModuleFiles.ManifestValue("GUID"), out var guid));
        Assert.NotEqual(Guid.Empty, guid);
    }
}
