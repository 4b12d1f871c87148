using MirrorTools.Native;

namespace MirrorTools.Tests.Native;

public class LibpcapLoaderTests
{
    [Fact]
    public void Libpcap_IsAvailable_OnThisHost()
    {
        Assert.True(Libpcap.IsAvailable(out var reason), reason);
        Assert.Equal("", reason);
    }

    [Fact]
    public void Libpcap_Version_IsLibpcapsOwnBanner()
    {
        Assert.StartsWith("libpcap version ", Libpcap.Version);
    }

    [Fact]
    public void CandidatePaths_NameThePlatformsRuntimeLibrary()
    {
        var candidates = LibpcapLoader.CandidatePaths();
        if (OperatingSystem.IsWindows())
            Assert.Contains(candidates, path => path.EndsWith(@"Npcap\wpcap.dll", StringComparison.OrdinalIgnoreCase));
        else if (OperatingSystem.IsMacOS())
            Assert.Contains("libpcap.A.dylib", candidates);
        else
            Assert.Equal(["libpcap.so.1", "libpcap.so.0.8", "libpcap.so"], candidates); // Debian's libpcap0.8 has only .so.0.8
    }

    [Fact]
    public void TryLoad_NoCandidateLoads_LibpcapNotFoundSaysWhatToInstall()
    {
        var problem = LibpcapLoader.TryLoad(["libmt-no-such-pcap.so.9", "mt-absent.dll"], out var handle);

        Assert.Equal(0, handle);
        Assert.NotNull(problem);
        Assert.Equal("LibpcapNotFound", problem.ErrorId);
        Assert.Equal(ProblemCategory.NotInstalled, problem.Category);
        Assert.Contains("libmt-no-such-pcap.so.9", problem.Message);
        if (OperatingSystem.IsLinux())
            Assert.Contains("apt-get install libpcap0.8", problem.Message);
    }

    [Fact]
    public void TryLoad_FirstCandidateMissing_LoadsTheNext()
    {
        var problem = LibpcapLoader.TryLoad(["libmt-no-such-pcap.so.9", .. LibpcapLoader.CandidatePaths()], out var handle);

        Assert.Null(problem);
        Assert.NotEqual(0, handle);
    }
}
