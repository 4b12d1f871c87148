using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using MirrorTools.Capture.Live;

namespace MirrorTools;

/// <summary>Tab completion for <c>Start-VxlanCapture -Interface</c>: the interfaces libpcap can capture on.</summary>
public sealed class CaptureInterfaceCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        IReadOnlyList<CaptureInterface> interfaces;
        try
        {
            interfaces = CaptureInterfaces.List();
        }
        catch (MirrorToolsException)
        {
            return []; // libpcap missing or the list failed: no suggestions, the error comes when capturing
        }
        var prefix = wordToComplete.Trim('\'', '"');
        return interfaces
            .Where(device => device.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Select(device => new CompletionResult(Quote(device.Name), device.Name, CompletionResultType.ParameterValue,
                Describe(device)));
    }

    private static string Quote(string name) =>
        name.Any(c => char.IsWhiteSpace(c) || c is '{' or '}' or '\'' or '$') ? $"'{name.Replace("'", "''")}'" : name;

    private static string Describe(CaptureInterface device)
    {
        var state = device.IsUp ? "up" : "down";
        var addresses = device.Addresses.Count == 0 ? "no address" : string.Join(", ", device.Addresses);
        return device.Description is { Length: > 0 } description
            ? $"{device.Name}: {description} ({state}; {addresses})"
            : $"{device.Name} ({state}; {addresses})";
    }
}
