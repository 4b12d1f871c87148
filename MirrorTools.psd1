@{
    # The cmdlets. MirrorTools.Core and every package it uses (AWSSDK.*, ...) load from dependencies/
    # in a module-owned AssemblyLoadContext, so they never clash with another module's copies.
    RootModule           = 'MirrorTools.dll'

    # Imported before the root module: its initializer sends MirrorTools.Core to the module's load
    # context before PowerShell reflects over the cmdlets (whose types name Core's).
    NestedModules        = @('MirrorTools.Loader.dll')

    # A placeholder: the version lives in Directory.Build.props only. Publishing (build.ps1's Build
    # task, or dotnet publish src/MirrorTools) stamps it into out/'s copy; this file is never rewritten.
    ModuleVersion        = '0.0.0'

    GUID                 = '8b46685f-2e64-413e-a85f-8255a3884b28'
    Author               = 'MirrorTools contributors'
    CompanyName          = 'MirrorTools'
    Copyright            = '(c) MirrorTools contributors.'
    Description          = 'Cloud traffic mirroring (AWS VPC Traffic Mirroring, OCI VTAP: VXLAN on UDP 4789) in the PowerShell pipeline: set up mirror sessions, check every prerequisite, capture on the target, and decapsulate the mirrored packets into typed objects.'

    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')

    FormatsToProcess     = @('MirrorTools.format.ps1xml')

    # InnerPacket's Frame, Payload, VniChain and Packet as hidden properties: exports leave them out.
    TypesToProcess       = @('MirrorTools.types.ps1xml')

    # Explicit lists: the module loads faster and exports exactly what is documented.
    CmdletsToExport      = @(
        'Get-InnerPacket'
        'Get-InnerFlow'
        'Export-InnerPacket'
        'Start-VxlanCapture'
        'New-MirrorSession'
        'Get-MirrorSession'
        'Set-MirrorSession'
        'Remove-MirrorSession'
        'Sync-MirrorSession'
        'Test-MirrorPrerequisite'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()

    PrivateData          = @{
        PSData = @{
            Tags         = @('VXLAN', 'TrafficMirroring', 'VPC', 'AWS', 'OCI', 'VTAP', 'pcap', 'pcapng', 'PacketCapture', 'Network', 'Linux', 'Windows', 'MacOS', 'PSEdition_Core')
            ReleaseNotes = 'First release: Get-InnerPacket and Export-InnerPacket (VXLAN and GENEVE decapsulation from pcap/pcapng files and live captures, typed and tcpdump-syntax filters), Start-VxlanCapture (libpcap or UDP socket, rotation, health-check responder), New-/Get-/Remove-MirrorSession (AWS VPC Traffic Mirroring) and Test-MirrorPrerequisite.'
        }
    }
}
