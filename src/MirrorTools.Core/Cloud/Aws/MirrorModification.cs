namespace MirrorTools.Cloud.Aws;

/// <summary>
/// A session change worked out with read-only calls: the session as it is, the filter it moves to
/// (when the filter changes), and one line per setting that differs, e.g. "VNI 7 -> 8".
/// <see cref="Changes"/> is empty when the session already has every asked setting.
/// </summary>
internal sealed record MirrorModification(MirrorSession Session, MirrorSessionChange Change, MirrorFilter? NewFilter, IReadOnlyList<string> Changes)
{
    /// <summary>ShouldProcess's action, with the session id as its target: what -WhatIf prints.</summary>
    public string Action => $"{AwsMirrorSessionService.ModifySessionAction}: {string.Join(", ", Changes)}";
}
