using MirrorTools.Cloud;

namespace MirrorTools.Tests.Cloud.Contract;

/// <summary>A provider on its fake endpoint (or in memory), with a source and target ready: what the contract suite needs to drive and inspect it.</summary>
internal interface IProviderWorld : IAsyncDisposable
{
    IMirrorProvider Provider { get; }

    /// <summary>A valid New for one source, tagged Suite=contract.</summary>
    MirrorSessionRequest NewRequest();

    /// <summary>A filter made outside MirrorTools, to switch a session to.</summary>
    string AddForeignFilter();

    /// <summary>A packet length the provider accepts.</summary>
    int PacketLength { get; }

    bool CanStartStop { get; }

    int MutatingCalls { get; }

    /// <summary>The nth mutating call from now fails (not retried).</summary>
    void FailNthMutating(int nth);

    /// <summary>Live resources tagged ManagedBy=MirrorTools.</summary>
    IReadOnlyList<string> ManagedResources { get; }

    /// <summary>Read APIs the checks need, each of which can be made to fail.</summary>
    IReadOnlyList<string> CheckReadApis { get; }

    void FailRead(string api);
}
