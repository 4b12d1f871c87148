namespace MirrorTools.Cloud;

/// <summary>
/// MirrorTools' own error ids for cloud sessions: one per condition whatever the provider (the
/// message and the target object name the provider and the input). The cloud's own errors keep
/// their provider's ids (AwsErrors, OciErrors).
/// </summary>
internal static class MirrorErrors
{
    public const string SourceMissing = "MirrorSourceMissing";
    public const string TargetAmbiguous = "MirrorTargetAmbiguous";
    public const string FilterAmbiguous = "MirrorFilterAmbiguous";
    public const string InvalidSessionSetting = "MirrorInvalidSessionSetting";
    public const string SettingNotForProvider = "MirrorSettingNotForProvider";
    public const string NothingToChange = "MirrorNothingToChange";
    public const string SessionNotFound = "MirrorSessionNotFound";
    public const string PlacementUnknown = "MirrorPlacementUnknown";
    public const string PrerequisiteFailed = "MirrorPrerequisiteFailed";
    public const string PlanIncomplete = "MirrorPlanIncomplete";
    public const string RollbackIncomplete = "MirrorRollbackIncomplete";
    public const string CreationStopped = "MirrorCreationStopped";
    public const string EndpointUrlInvalid = "EndpointUrlInvalid";
}
