using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace MirrorTools.Tests.Lab;

/// <summary>
/// tcpdump writing what one interface of a namespace sees to a pcap file. Started only once
/// tcpdump reports it is listening; <see cref="Stop"/> sends SIGINT and waits, so the file is
/// complete when it returns.
/// </summary>
public sealed partial class TcpdumpRecording : IDisposable
{
    private const int SigInt = 2;
    private const string BufferKibibytes = "131072";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);
    /// <summary>Mirrored copies cross two more devices than the original packet; let them land.</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromMilliseconds(300);

    private readonly Process _process;
    private readonly string _commandLine;
    private readonly StringWriter _stderr = new();

    private TcpdumpRecording(Process process, string commandLine, string path)
    {
        _process = process;
        _commandLine = commandLine;
        Path = path;
    }

    /// <summary>The pcap file being written.</summary>
    public string Path { get; }

    /// <summary>tcpdump's closing report ("N packets captured ..."), available after <see cref="Stop"/>.</summary>
    public string Summary => _stderr.ToString();

    internal static TcpdumpRecording Start(string namespaceName, string interfaceName, string path, string filter, int snapLength)
    {
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        // --immediate-mode: without it packets wait in libpcap's ring for a block timeout and those
        // still there at SIGINT are never written. -B: immediate mode gives each packet a
        // snaplen-sized slot, so the default 2 MB ring overflows on the first burst. -U: write each
        // packet as it comes. -Z root: keep the right to write wherever root can.
        foreach (var argument in new[] { "netns", "exec", namespaceName, "tcpdump", "-i", interfaceName, "-nn", "--immediate-mode", "-B", BufferKibibytes, "-U", "-s", snapLength.ToString(), "-Z", "root", "-w", path })
            start.ArgumentList.Add(argument);
        if (filter.Length > 0)
            start.ArgumentList.Add(filter);
        var commandLine = LabCommand.Describe(start);

        var process = LabCommand.StartOrExplain(start, commandLine);
        var recording = new TcpdumpRecording(process, commandLine, path);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (recording._stderr)
                recording._stderr.WriteLine(e.Data);
            if (e.Data.Contains("listening on", StringComparison.Ordinal))
                listening.TrySetResult();
        };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        if (!listening.Task.Wait(StartTimeout) || process.HasExited)
        {
            process.WaitForExit(1000);
            var message = $"tcpdump did not start listening: {commandLine}\nstderr: {recording.Summary.Trim()}";
            recording.Kill();
            throw new InvalidOperationException(message);
        }
        return recording;
    }

    /// <summary>Waits briefly for packets in flight, then stops tcpdump and waits until the file is flushed.</summary>
    public void Stop()
    {
        if (_process.HasExited)
            return;
        Thread.Sleep(SettleTime);
        // `ip netns exec` replaces itself with tcpdump (execvp), so this process id is tcpdump's own.
        SendSignal(_process.Id, SigInt);
        if (!_process.WaitForExit(StopTimeout))
        {
            Kill();
            throw new InvalidOperationException($"tcpdump did not stop on SIGINT within {StopTimeout.TotalSeconds:0}s: {_commandLine}");
        }
        _process.WaitForExit();
        if (_process.ExitCode != 0)
            throw new InvalidOperationException($"tcpdump exited with {_process.ExitCode}: {_commandLine}\nstderr: {Summary.Trim()}");
        // A test asserting on a recording that silently misses packets would blame the decoder.
        if (Regex.Match(Summary, @"(\d+) packets? dropped by kernel") is { Success: true } dropped && dropped.Groups[1].Value != "0")
            throw new InvalidOperationException($"tcpdump dropped {dropped.Groups[1].Value} packets, so {Path} is incomplete: {_commandLine}\n{Summary.Trim()}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            Kill();
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int pid, int signal);
}
