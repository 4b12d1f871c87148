using MirrorTools.Tests.Lab;

namespace MirrorTools.Tests.Capture;

/// <summary>A real, tiny filesystem (tmpfs of a few pages) to fill up; needs root to mount.</summary>
internal sealed class TinyFileSystem : IDisposable
{
    public TinyFileSystem(int kilobytes)
    {
        Path = Directory.CreateTempSubdirectory("mt-full-").FullName;
        try
        {
            LabCommand.Run("mount", ["-t", "tmpfs", "-o", $"size={kilobytes}k,mode=0755", "tmpfs", Path]);
        }
        catch
        {
            Directory.Delete(Path);
            throw;
        }
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        LabCommand.Run("umount", ["--lazy", Path]); // lazy: a file a failed test left open must not leave the mount behind
        Directory.Delete(Path);
    }
}
