using MirrorTools.Cloud;

namespace MirrorTools.Tests.Cloud;

/// <summary>The shared run-and-roll-back of every provider's plan, with steps made here.</summary>
public class MirrorTransactionTests
{
    private static MirrorPlan Plan(params MirrorStep[] steps) => new() { Provider = "Test", Region = "here", Steps = steps };

    [Fact]
    public async Task StoppedAtAWait_UndoesWhatWasMade_NewestFirst_AndSaysWhat()
    {
        var undone = new List<string>();
        using var stop = new CancellationTokenSource();
        var plan = Plan(
            new MirrorStep("CreateFilter", "filter", "Create", (run, _) =>
            {
                run.OnRollback("filter", "f-1", _ => { undone.Add("f-1"); return Task.CompletedTask; }, "delete f-1");
                return Task.CompletedTask;
            }),
            new MirrorStep("CreateSession", "session", "Create", async (run, token) =>
            {
                run.OnRollback("session", "s-1", _ => { undone.Add("s-1"); return Task.CompletedTask; }, "delete s-1");
                stop.Cancel(); // Ctrl+C while waiting for the session
                await Task.Delay(Timeout.Infinite, token);
            }));

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => MirrorTransaction.RunAsync(plan, null, stop.Token));

        Assert.Equal((MirrorErrors.CreationStopped, ProblemCategory.OperationStopped), (problem.ErrorId, problem.Category));
        Assert.Equal(["s-1", "f-1"], undone);
        Assert.Contains("session s-1, filter f-1", problem.Message);
    }

    [Fact]
    public async Task RollbackAbandoned_NamesWhatIsLeft_WithTheCommandThatDeletesIt()
    {
        using var abandon = new CancellationTokenSource();
        var plan = Plan(
            new MirrorStep("CreateFilter", "filter", "Create", (run, _) =>
            {
                run.OnRollback("filter", "f-1", async token =>
                {
                    abandon.Cancel(); // a second Ctrl+C while the rollback waits
                    await Task.Delay(Timeout.Infinite, token);
                }, "Remove-Thing f-1");
                throw new MirrorToolsException("TestFailure", ProblemCategory.InvalidOperation, "The next step failed.");
            }));

        var problem = await Assert.ThrowsAsync<MirrorToolsException>(() => MirrorTransaction.RunAsync(plan, null, default, abandon.Token));

        Assert.Equal(MirrorErrors.RollbackIncomplete, problem.ErrorId);
        Assert.Contains("The next step failed.", problem.Message);
        Assert.Contains("Test: rolling back left these behind: filter f-1 (rollback abandoned; to delete it: Remove-Thing f-1)", problem.Message);
        Assert.Equal("Test: filter f-1", problem.Target);
    }

    [Fact]
    public async Task DeclinedTarget_SkipsTheSessionsThatNeedIt_AndAFilterServingOnlyThem()
    {
        var ran = new List<string>();
        MirrorStep Step(string kind, IReadOnlyList<MirrorStep>? requires = null, bool serves = false) =>
            new(kind, kind, kind, (_, _) => { ran.Add(kind); return Task.CompletedTask; }, requires, serves);
        var target = Step("CreateTarget", serves: true);
        var filter = Step("CreateFilter", serves: true);
        var session = Step("CreateSession", [target, filter]);

        await MirrorTransaction.RunAsync(Plan(target, filter, session), step => step != target, default);

        Assert.Empty(ran);
    }
}
