#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2.0' }
# The module as a user gets it: built by ./build.ps1 (or dotnet publish src/MirrorTools -c Release)
# into out/MirrorTools/<version>/, imported by path.

BeforeDiscovery {
    $manifest = Import-PowerShellDataFile (Join-Path (Split-Path $PSScriptRoot -Parent) 'MirrorTools.psd1')
    $cmdlets = $manifest.CmdletsToExport
    $outputTypes = @(
        'MirrorTools.InnerPacket', 'MirrorTools.CapturedFrame', 'MirrorTools.MirrorSession', 'MirrorTools.MirrorTarget',
        'MirrorTools.MirrorFilter', 'MirrorTools.PrerequisiteResult', 'MirrorTools.CaptureStatistics')
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'MirrorTools.TestSupport.ps1')
    $versionFolder = Join-Path $ModulePath $ProjectVersion
    $manifest = Import-PowerShellDataFile (Join-Path $RepositoryRoot 'MirrorTools.psd1')
    Import-Module $ModulePath -Force -ErrorAction Stop
}

AfterAll {
    Remove-Module MirrorTools -ErrorAction Ignore
}

Describe 'The MirrorTools module' {
    It 'imports from out/MirrorTools at the version in Directory.Build.props' {
        $module = Get-Module MirrorTools
        $module.Version | Should -Be ([version]$ProjectVersion)
        $module.ModuleBase | Should -Be (Resolve-Path $versionFolder).Path
    }

    It 'has a manifest that Test-ModuleManifest accepts' {
        { Test-ModuleManifest -Path (Join-Path $versionFolder 'MirrorTools.psd1') -ErrorAction Stop } | Should -Not -Throw
    }

    It 'exports exactly the cmdlets its manifest lists' {
        $exported = (Get-Command -Module MirrorTools -CommandType Cmdlet).Name | Sort-Object
        $exported | Should -Be ($manifest.CmdletsToExport | Sort-Object)
    }

    It 'exports no function, alias or variable' {
        Get-Command -Module MirrorTools -CommandType 'Function', 'Alias' | Should -BeNullOrEmpty
        (Get-Module MirrorTools).ExportedVariables.Count | Should -Be 0
    }

    It 'ships MirrorTools.dll, the manifest, the format file and en-US help at the top of the module folder' {
        foreach ($file in 'MirrorTools.dll', 'MirrorTools.psd1', 'MirrorTools.format.ps1xml',
            'en-US/MirrorTools.dll-Help.xml', 'en-US/about_MirrorTools.help.txt') {
            Join-Path $versionFolder $file | Should -Exist
        }
    }

    It 'keeps MirrorTools.Core, AWSSDK.Core and AWSSDK.EC2 in dependencies/' {
        Join-Path $versionFolder 'dependencies/MirrorTools.Core.dll' | Should -Exist
        Join-Path $versionFolder 'dependencies/AWSSDK.Core.dll' | Should -Exist
        Join-Path $versionFolder 'dependencies/AWSSDK.EC2.dll' | Should -Exist
        Join-Path $versionFolder 'MirrorTools.Core.dll' | Should -Not -Exist
    }

    It 'resolves its public type names although Core loads in the module''s own context' {
        [MirrorTools.InnerPacket].FullName | Should -Be 'MirrorTools.InnerPacket'
        [MirrorTools.PacketStatus]::Truncated | Should -Be 'Truncated'
        [MirrorTools.PrerequisiteStatus]'Failed' | Should -Be 'Failed'
    }

    It 'does not ship System.Management.Automation.dll (PowerShell supplies it)' {
        Get-ChildItem $versionFolder -Recurse -Filter 'System.Management.Automation.dll' | Should -BeNullOrEmpty
    }

    It 'has the about_MirrorTools topic' {
        Get-Help about_MirrorTools | Out-String | Should -Match 'VXLAN'
    }
}

Describe 'Help for <_>' -ForEach $cmdlets {
    BeforeAll {
        $name = $_
        $help = Get-Help -Name $name -Full
        $command = Get-Command -Name $name
    }

    It 'comes from the MAML file, not generated from the syntax' {
        # Without a help file Get-Help makes the synopsis from the syntax line itself.
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match ([regex]::Escape("$name ["))
    }

    It 'has a description' {
        ($help.description.Text -join ' ') | Should -Not -BeNullOrEmpty
    }

    It 'has at least one example with code' {
        @($help.examples.example).Count | Should -BeGreaterThan 0
        @($help.examples.example)[0].code | Should -Not -BeNullOrEmpty
    }

    It 'documents every parameter the cmdlet has' {
        $common = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters)
        $documented = @($help.parameters.parameter.name)
        foreach ($parameter in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $documented | Should -Contain $parameter
        }
    }
}

Describe 'Format view for <_>' -ForEach $outputTypes {
    It 'is a table view, chosen by default' {
        $format = Get-FormatData -TypeName $_
        $format | Should -Not -BeNullOrEmpty
        $format.FormatViewDefinition[0].Control | Should -BeOfType ([System.Management.Automation.TableControl])
    }
}
