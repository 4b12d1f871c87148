using System.Runtime.InteropServices;

namespace MirrorTools.Native;

/// <summary>The one Win32 call needed to make Npcap's DLL folder searchable.</summary>
internal static partial class WindowsDllDirectory
{
    [LibraryImport("kernel32.dll", StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool SetDllDirectoryW(string pathName);
}
