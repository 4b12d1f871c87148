using MirrorTools;
using MirrorTools.Decoding;
using MirrorTools.Filtering;

// mirrortools-decode [--filter EXPRESSION] [--vxlan-port PORT]... CAPTURE...
// Prints every decapsulated packet as Get-InnerPacket's table would, problems on stderr;
// exits 1 when a problem was reported, 2 on a usage error.
const string Usage = "usage: mirrortools-decode [--filter 'tcpdump expression'] [--vxlan-port PORT]... CAPTURE.pcap[ng]...";

string? filterExpression = null;
var vxlanPorts = new List<int>();
var paths = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--filter" when i + 1 < args.Length:
            filterExpression = args[++i];
            break;
        case "--vxlan-port" when i + 1 < args.Length && int.TryParse(args[i + 1], out var port):
            vxlanPorts.Add(port);
            i++;
            break;
        case "-h" or "--help":
            Console.WriteLine(Usage);
            return 0;
        default:
            if (args[i].StartsWith("--", StringComparison.Ordinal))
                return UsageError($"unknown or incomplete option '{args[i]}'");
            paths.Add(args[i]);
            break;
    }
}
if (paths.Count == 0)
    return UsageError("name at least one capture file");

using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopping.Cancel();
};

InnerPacketSelection selection;
try
{
    selection = InnerPacketSelection.Create(new InnerPacketCriteria
    {
        Filter = filterExpression,
        VxlanPort = vxlanPorts.Count > 0 ? vxlanPorts : null,
    });
}
catch (MirrorToolsException problem)
{
    return UsageError(problem.Message);
}

using (selection)
{
    long packets = 0, problems = 0;
    foreach (var path in paths)
    {
        using var reader = new InnerPacketReader(selection.ReaderOptions);
        foreach (var outcome in reader.ReadFile(path, stopping.Token))
        {
            if (outcome.Packet is { } packet)
            {
                packets++;
                Console.WriteLine(packet);
            }
            else
            {
                problems++;
                Console.Error.WriteLine($"mirrortools-decode: {outcome.Problem!.ErrorId}: {outcome.Problem.Message}");
            }
        }
    }
    Console.Error.WriteLine($"{packets} packets, {problems} problems");
    return problems == 0 ? 0 : 1;
}

static int UsageError(string message)
{
    Console.Error.WriteLine($"mirrortools-decode: {message}");
    Console.Error.WriteLine(Usage);
    return 2;
}
