using System.Globalization;

namespace MirrorTools.Cloud;

/// <summary>Range checks of session settings (VNI, packet length, …), with one error id for every provider.</summary>
internal static class MirrorSettings
{
    public const int MaxVni = 16777215;

    /// <summary>Throws <see cref="MirrorErrors.InvalidSessionSetting"/> when <paramref name="value"/> is given and outside <paramref name="min"/>-<paramref name="max"/>.</summary>
    public static void InRange(string provider, string parameter, int? value, int min, int max, string unit = "", string? hint = null)
    {
        if (value < min || value > max)
            throw new MirrorToolsException(MirrorErrors.InvalidSessionSetting, ProblemCategory.InvalidArgument,
                $"{provider}: -{parameter} must be {min}-{max}{unit}{(hint is null ? "" : $" ({hint})")}.", value.Value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary><see cref="MirrorErrors.SettingNotForProvider"/>: a parameter this provider has no use for.</summary>
    public static MirrorToolsException NotForProvider(string provider, string id, string message) =>
        new(MirrorErrors.SettingNotForProvider, ProblemCategory.InvalidArgument, $"{provider}: {message}", id);
}
