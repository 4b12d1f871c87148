#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2.0' }
# The module's own AssemblyLoadContext, proven as a user meets it: a fresh pwsh that already loaded
# another AWSSDK.Core into the default context (as AWS.Tools.EC2 does) imports MirrorTools, and both
# keep working; Remove-Module then Import-Module again in one session. The other SDKs are NuGet's
# AWSSDK.Core 3.7.501.1 and 4.0.102.16 (PackageDownload of the test project, copied beside it).

BeforeDiscovery {
    $sdks = @(
        @{ Name = 'AWSSDK.Core 3.7 (AWS.Tools 4)'; Folder = 'sdk37' }
        @{ Name = 'AWSSDK.Core 4.0 (AWS.Tools 5)'; Folder = 'sdk4' }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'MirrorTools.TestSupport.ps1')
    $script:Pwsh = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
    $script:TestAssembly = Get-FakeCloudAssembly
    $script:Fixtures = Join-Path (Split-Path $TestAssembly -Parent) 'AlcFixtures'

    # Runs a script in a fresh pwsh (a module's assemblies never unload) and returns its JSON answer.
    function Invoke-FreshPwsh([string] $Script) {
        $file = Join-Path $TestDrive "$([guid]::NewGuid().ToString('N')).ps1"
        Set-Content -Path $file -Value $Script
        $output = & $Pwsh -NoProfile -NonInteractive -File $file 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        ($output | Select-Object -Last 1) | ConvertFrom-Json
    }
}

Describe 'Import-Module beside <Name> already in the default context' -ForEach $sdks {
    It 'imports, runs a signed AWS call on its own SDK, and leaves the other SDK working' {
        $sdk = Join-Path $Fixtures "$Folder/AWSSDK.Core.dll"
        $answer = Invoke-FreshPwsh @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$sdk'
`$toolsCredentials = [Amazon.Runtime.BasicAWSCredentials]::new('AKIDTOOLS', 'tools-secret')
Import-Module '$ModulePath'
Add-Type -Path '$TestAssembly'
`$fake = [MirrorTools.Tests.Cloud.FakeAws.FakeAwsEndpoint]::new('eu-west-1')
try {
    `$sessions = @(Get-MirrorSession -Region eu-west-1 -AccessKey ([MirrorTools.Tests.Cloud.FakeAws.FakeAwsEndpoint]::AccessKey) -SecretKey ([MirrorTools.Tests.Cloud.FakeAws.FakeAwsEndpoint]::SecretKey) -EndpointUrl `$fake.Url.ToString())
    `$calls = @(`$fake.Calls)
} finally { `$fake.DisposeAsync().AsTask().Wait() }
`$contexts = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -in 'AWSSDK.Core', 'AWSSDK.EC2', 'MirrorTools.Core', 'MirrorTools' } |
    ForEach-Object { [pscustomobject]@{ Name = `$_.GetName().Name; Context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name; Version = (Get-Item `$_.Location).VersionInfo.FileVersion } }
[pscustomobject]@{
    Sessions = `$sessions.Count
    Calls = `$calls.Count
    SignatureErrors = @(`$calls | Where-Object ErrorCode).Count
    ToolsKey = `$toolsCredentials.GetCredentials().AccessKey
    DefaultSdk = [Amazon.Runtime.AWSCredentials].Assembly.Location
    Assemblies = @(`$contexts)
} | ConvertTo-Json -Depth 4 -Compress
"@
        $answer.Calls | Should -BeGreaterThan 0
        $answer.SignatureErrors | Should -Be 0 -Because 'the fake endpoint verified every SigV4 signature'
        $answer.Sessions | Should -Be 0
        $answer.ToolsKey | Should -Be 'AKIDTOOLS'
        $answer.DefaultSdk | Should -Be $sdk

        $sdks = @($answer.Assemblies | Where-Object Name -EQ 'AWSSDK.Core')
        $sdks | Should -HaveCount 2
        ($sdks | Where-Object Context -EQ 'MirrorTools').Version | Should -Not -Be (Get-Item $sdk).VersionInfo.FileVersion
        ($answer.Assemblies | Where-Object Name -EQ 'MirrorTools.Core').Context | Should -Be 'MirrorTools'
        # Get-MirrorSession's EC2 call went through AWSSDK.EC2 4.1, which needs our AWSSDK.Core 4.1 beside it.
        ($answer.Assemblies | Where-Object Name -EQ 'AWSSDK.EC2').Context | Should -Be 'MirrorTools'
        ($answer.Assemblies | Where-Object Name -EQ 'MirrorTools').Context | Should -Be 'Default'
    }
}

Describe 'Remove-Module, then Import-Module again in one session' {
    It 'works again: cmdlets, type names and formatting' {
        $answer = Invoke-FreshPwsh @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModulePath'
`$first = @(Get-InnerPacket -Path '$SampleCapture').Count
Remove-Module MirrorTools
`$removed = [bool](Get-Command Get-InnerPacket -ErrorAction Ignore)
Import-Module '$ModulePath'
`$packet = Get-InnerPacket -Path '$SampleCapture' | Select-Object -First 1
[pscustomobject]@{
    First = `$first
    CommandAfterRemove = `$removed
    Second = @(Get-InnerPacket -Path '$SampleCapture').Count
    IsInnerPacket = `$packet -is [MirrorTools.InnerPacket]
    Table = (`$packet | Out-String -Width 120)
} | ConvertTo-Json -Compress
"@
        $answer.First | Should -Be $SampleFrameCount
        $answer.CommandAfterRemove | Should -BeFalse
        $answer.Second | Should -Be $SampleFrameCount
        $answer.IsInnerPacket | Should -BeTrue
        $answer.Table | Should -Match 'Time\s+Vni\s+Source'
    }
}
