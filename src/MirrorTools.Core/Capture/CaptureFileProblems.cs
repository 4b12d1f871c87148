using System.Text;

namespace MirrorTools.Capture;

/// <summary>The stable error ids of capture files, and the messages that go with them.</summary>
internal static class CaptureFileProblems
{
    public const string NotFoundId = "CaptureFileNotFound";
    public const string EmptyId = "CaptureFileEmpty";
    public const string UnrecognizedId = "CaptureFileUnrecognized";
    public const string AccessDeniedId = "CaptureFileAccessDenied";
    public const string UnreadableId = "CaptureFileUnreadable";
    public const string TruncatedId = "CaptureFileTruncated";
    public const string CorruptId = "CaptureFileCorrupt";
    public const string WriteFailedId = "CaptureFileWriteFailed";
    public const string ExistsId = "CaptureFileExists";
    public const string LinkTypeMismatchId = "CaptureFileLinkTypeMismatch";

    private const string AcceptedFormats =
        "pcap (magic a1 b2 c3 d4 or a1 b2 3c 4d, either byte order) and pcapng (0a 0d 0d 0a)";

    /// <summary>A path opened as given: a relative one was resolved by .NET, from the process's directory.</summary>
    public static MirrorToolsException NotFound(string path) =>
        new(NotFoundId, ProblemCategory.ObjectNotFound,
            Path.IsPathFullyQualified(path)
                ? $"Capture file '{path}' does not exist. Check the path."
                : $"Capture file '{path}' does not exist. Check the path (a relative path is resolved from the process's directory '{Environment.CurrentDirectory}').",
            path);

    /// <summary>
    /// A path a cmdlet resolved against the PowerShell location (which Set-Location moves, the
    /// process's directory does not): the message names the file looked for and that location.
    /// </summary>
    public static MirrorToolsException NotFound(string path, string lookedFor, string location) =>
        new(NotFoundId, ProblemCategory.ObjectNotFound,
            Path.IsPathFullyQualified(path) || path == lookedFor
                ? $"Capture file '{path}' does not exist. Check the path."
                : $"Capture file '{path}' does not exist: looked for '{lookedFor}', relative to the PowerShell location '{location}'. Check the path, or the location (Get-Location).",
            path);

    public static MirrorToolsException IsDirectory(string path) =>
        new(UnreadableId, ProblemCategory.ReadError,
            $"'{path}' is a directory, not a capture file. Give the path of a .pcap or .pcapng file inside it.",
            path);

    public static MirrorToolsException AccessDenied(string path, Exception cause) =>
        new(AccessDeniedId, ProblemCategory.PermissionDenied,
            $"Capture file '{path}' cannot be opened: permission denied. Make it readable for this user (chmod/chown, or run elevated); tcpdump -Z drops privileges and may have written it as another user.",
            path, cause);

    /// <summary>A read that failed: the device (an I/O error) or the gzip data around the capture (damaged).</summary>
    public static MirrorToolsException Unreadable(string path, Exception cause) => cause is InvalidDataException
        ? new(CorruptId, ProblemCategory.InvalidData,
            $"Capture file '{path}' is gzip-compressed and the compressed data is damaged: {cause.Message} Every whole record before the damage was read; check the copy (gzip -t).",
            path, cause)
        : new(UnreadableId, ProblemCategory.ReadError,
            $"Capture file '{path}' cannot be read: {cause.Message} Check that the disk or share is available and read it again.",
            path, cause);

    public static MirrorToolsException Empty(string path) =>
        new(EmptyId, ProblemCategory.InvalidData,
            $"Capture file '{path}' is empty (0 bytes): nothing was captured into it, or the capture was still starting. Check the capture that wrote it.",
            path);

    public static MirrorToolsException Unrecognized(string path, ReadOnlySpan<byte> start)
    {
        var what = start.Length >= 2 && start[0] == 0x1f && start[1] == 0x8b
            ? "it is gzip-compressed twice, or a gzip stream was given: decompress it first (gunzip)"
            : $"it starts with {Describe(start)}, which is not a capture file format this reader accepts";
        return new(UnrecognizedId, ProblemCategory.InvalidData,
            $"'{path}' is not a capture file: {what}. Accepted formats: {AcceptedFormats}. Convert other formats with 'editcap -F pcapng'.",
            path);
    }

    public static MirrorToolsException UnsupportedVersion(string path, int major, int minor) =>
        new(UnrecognizedId, ProblemCategory.InvalidData,
            $"'{path}' has a pcap magic number but version {major}.{minor}; only version 2.x files exist in practice, so the file is damaged or not pcap. Accepted formats: {AcceptedFormats}.",
            path);

    /// <summary>A record cut short: the wording follows libpcap's, plus the file and record.</summary>
    public static MirrorToolsException Truncated(string path, string where, long offset, string what, long wanted, long got) =>
        new(TruncatedId, ProblemCategory.InvalidData,
            $"Capture file '{path}' ends inside {where} (byte offset {offset}): truncated dump file; tried to read {wanted} {what} bytes, only got {got}. Every whole record before it was read; the file was probably copied while still being written or the capture was killed.",
            path);

    public static MirrorToolsException TruncatedFileHeader(string path, long wanted, long got) =>
        new(TruncatedId, ProblemCategory.InvalidData,
            $"Capture file '{path}' ends inside its file header: truncated dump file; tried to read {wanted} file header bytes, only got {got}. The capture that wrote it stopped before writing any packet; capture again.",
            path);

    public static MirrorToolsException Corrupt(string path, string where, long offset, string what) =>
        new(CorruptId, ProblemCategory.InvalidData,
            $"Capture file '{path}' is damaged at {where} (byte offset {offset}): {what}. Every whole record before it was read; nothing after it can be trusted.",
            path);

    public static MirrorToolsException WriteFailed(string path, Exception cause) =>
        new(WriteFailedId, ProblemCategory.WriteError,
            $"Writing capture file '{path}' failed: {cause.Message} {WriteRemedy(cause)}",
            path, cause);

    public static MirrorToolsException RingDeleteFailed(string path, Exception cause) =>
        new(WriteFailedId, ProblemCategory.WriteError,
            $"The ring buffer cannot delete its oldest file '{path}': {cause.Message} Make the folder writable for this user, or raise the number of files to keep.",
            path, cause);

    public static MirrorToolsException Exists(string path) =>
        new(ExistsId, ProblemCategory.ResourceExists,
            $"Capture file '{path}' already exists. Choose another path, or allow overwriting it (-Force).",
            path);

    public static MirrorToolsException LinkTypeMismatch(string path, LinkType fileLinkType, LinkType frameLinkType) =>
        new(LinkTypeMismatchId, ProblemCategory.InvalidArgument,
            $"Capture file '{path}' is pcap with link type {fileLinkType}, which cannot hold a {frameLinkType} frame: pcap allows one link type per file. Write pcapng instead.",
            path);

    private static string WriteRemedy(Exception cause) => cause switch
    {
        UnauthorizedAccessException => "Choose a path this user may write to, or change the folder's permissions.",
        DirectoryNotFoundException => "Create the folder first, or choose an existing one.",
        _ => "Check that the disk has free space (df -h) and is writable, or choose another path. The file ends on its last whole record: it holds the frames that fit before the failure, and tshark reads them all.",
    };

    private static string Describe(ReadOnlySpan<byte> start)
    {
        var hex = Convert.ToHexString(start).ToLowerInvariant();
        var spaced = new StringBuilder();
        for (var i = 0; i < hex.Length; i += 2)
            spaced.Append(i == 0 ? "" : " ").Append(hex, i, 2);
        var text = new StringBuilder();
        foreach (var b in start)
            text.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
        return $"{spaced} (\"{text}\")";
    }
}
