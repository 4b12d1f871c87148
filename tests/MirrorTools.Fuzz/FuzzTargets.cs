namespace MirrorTools.Fuzz;

/// <summary>The targets run.sh can fuzz, by name.</summary>
internal static class FuzzTargets
{
    public static Action<Stream>? Find(string name) => name switch
    {
        "capture" => CaptureFileTarget.Run,
        "canary" => CanaryTarget.Run,
        _ => null,
    };
}
