using System.Management.Automation;
using MirrorTools.Capture;

namespace MirrorTools.Commands;

/// <summary>
/// Export-InnerPacket: writes the inner frames of InnerPacket objects to a pcapng or pcap file that
/// Wireshark and tshark open directly, with the original timestamps.
/// </summary>
[Cmdlet(VerbsData.Export, "InnerPacket")]
[OutputType(typeof(InnerPacket))]
public sealed class ExportInnerPacketCommand : MirrorToolsCmdlet
{
    private InnerPacketExporter? _exporter;
    private string _path = "";

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public InnerPacket[] InputObject { get; set; } = [];

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter]
    public CaptureFileFormat Format { get; set; } = CaptureFileFormat.Pcapng;

    /// <summary>Overwrites a read-only file too.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Refuses to replace an existing file.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Writes each packet on down the pipeline after saving it.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    // Opened before the first packet, so a bad path or an existing file stops the pipeline before anything is read.
    protected override void BeginProcessing()
    {
        _path = GetUnresolvedProviderPathFromPSPath(Path);
        // Core's own "exists" message suggests -Force, which is not what -NoClobber users need to hear.
        if (NoClobber && File.Exists(_path))
            ThrowProblem(new MirrorToolsException(CaptureFileProblems.ExistsId, ProblemCategory.ResourceExists,
                $"Capture file '{_path}' already exists and -NoClobber forbids replacing it. Choose another path, or leave out -NoClobber.",
                _path));
        try
        {
            if (Force && !NoClobber && File.Exists(_path))
                File.SetAttributes(_path, File.GetAttributes(_path) & ~FileAttributes.ReadOnly);
            _exporter = InnerPacketExporter.Create(_path, Format, overwrite: !NoClobber);
        }
        catch (MirrorToolsException problem)
        {
            ThrowProblem(problem);
        }
        WriteDebug($"Writing {Format} to {_path}");
    }

    protected override void ProcessRecord()
    {
        foreach (var packet in InputObject)
        {
            if (StopToken.IsCancellationRequested)
                return;
            try
            {
                _exporter!.Write(packet);
            }
            catch (MirrorToolsException problem)
            {
                // Disk full, share gone: the file cannot take more; what was written stays readable.
                ThrowProblem(problem);
            }
            if (PassThru)
                WriteObject(packet);
        }
    }

    protected override void EndProcessing()
    {
        var written = _exporter!.PacketsWritten;
        Close();
        WriteVerbose($"Wrote {written} packets to {_path}");
    }

    private void Close()
    {
        var exporter = _exporter;
        _exporter = null;
        try
        {
            exporter?.Dispose();
        }
        catch (MirrorToolsException problem)
        {
            ThrowProblem(problem);
        }
    }

    // Ctrl+C or an error upstream: flush and close what was written so far.
    protected override void Dispose(bool disposing)
    {
        if (disposing && _exporter is not null)
        {
            try
            {
                _exporter.Dispose();
            }
            catch (MirrorToolsException)
            {
                // The pipeline has already stopped; there is no one left to tell.
            }
            _exporter = null;
        }
        base.Dispose(disposing);
    }
}
