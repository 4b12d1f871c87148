using MirrorTools.Cloud;

namespace MirrorTools.Tests.Cloud.InMemory;

/// <summary>
/// The state of the in-memory provider's "cloud": targets made outside MirrorTools, filters and
/// sessions, every API call by name, and fault injection (the nth mutating call, a read API).
/// </summary>
internal sealed class InMemoryCloud
{
    private int _next;
    private int _failMutatingAt;

    public Dictionary<string, MemoryFilter> Filters { get; } = [];
    public Dictionary<string, MemorySession> Sessions { get; } = [];
    public HashSet<string> Targets { get; } = [];
    public HashSet<string> Sources { get; } = [];
    public List<string> Calls { get; } = [];
    public HashSet<string> FailingReads { get; } = [];
    public int MutatingCalls { get; private set; }

    public string NewId(string kind) => $"mem-{kind}-{++_next:D4}";

    public void FailNthMutating(int nth) => _failMutatingAt = MutatingCalls + nth;

    /// <summary>Records a read; an API in <see cref="FailingReads"/> answers as an unavailable service does.</summary>
    public void Read(string api)
    {
        Calls.Add(api);
        if (FailingReads.Contains(api))
            throw new MirrorToolsException("MemoryServiceUnavailable", ProblemCategory.ResourceUnavailable, $"Memory: {api} is not answering.", api);
    }

    /// <summary>Records a change; the injected one fails before it is made.</summary>
    public void Mutate(string api)
    {
        Calls.Add(api);
        if (++MutatingCalls == _failMutatingAt)
            throw new MirrorToolsException("MemoryInjectedFailure", ProblemCategory.InvalidOperation, $"Memory: {api} failed (injected).", api);
    }
}

internal sealed record MemoryFilter(string Id, MirrorFilterSpec Spec, IReadOnlyDictionary<string, string> Tags);

internal sealed record MemorySession(string Id, string SourceId, string TargetId, string FilterId, int Vni, int? PacketLength, bool Enabled,
    IReadOnlyDictionary<string, string> Tags);
