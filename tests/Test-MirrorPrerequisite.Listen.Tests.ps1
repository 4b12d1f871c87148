#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.2.0' }
# Test-MirrorPrerequisite -Local -Listen as a user runs it: the socket listener on a spare port of
# loopback receives the real AWS capture's VXLAN payloads, sent again and again while it listens.

BeforeAll {
    . (Join-Path $PSScriptRoot 'MirrorTools.TestSupport.ps1')
    Import-Module $ModulePath -Force -ErrorAction Stop
    $capture = Get-PublicCapture 'aws-traffic-mirror-ssh-dns.pcap'
}

Describe 'Test-MirrorPrerequisite -Local -Listen' {
    It 'passes every Capture check when the session''s traffic arrives both ways, whole' {
        $port = Get-Random -Minimum 20000 -Maximum 60000
        $mirror = Start-Mirror $port @(Read-VxlanPayloads $capture)
        try {
            # Sent from loopback, the outer source is 127.0.0.1, not the instance: name the instance's address.
            $results = Test-MirrorPrerequisite -Local -Listen 00:00:03 -Listener Socket -Port $port -Vni 5569041 -Direction Both -MirrorSource 172.31.0.238 |
                Where-Object CheckId -like 'Capture.*'
        }
        finally {
            $mirror | Stop-Job -PassThru | Remove-Job
        }
        $results.CheckId | Should -Be 'Capture.TrafficArrives', 'Capture.VniMatches', 'Capture.BothDirections', 'Capture.NotTruncated', 'Capture.NoOuterFragments', 'Capture.NoDrops'
        $results | Where-Object Status -ne Passed | ForEach-Object ToString | Should -BeNullOrEmpty
    }

    It 'fails Capture.VniMatches naming the VNI that arrives instead' {
        $port = Get-Random -Minimum 20000 -Maximum 60000
        $mirror = Start-Mirror $port @(Read-VxlanPayloads $capture)
        try {
            $vni = Test-MirrorPrerequisite -Local -Listen 00:00:02 -Listener Socket -Port $port -Vni 42 | Where-Object CheckId -eq 'Capture.VniMatches'
        }
        finally {
            $mirror | Stop-Job -PassThru | Remove-Job
        }
        $vni.Status | Should -Be 'Failed'
        $vni.Message | Should -Match '5569041'
    }

    It 'rejects a listening time that is not positive' {
        Test-MirrorPrerequisite -Local -Listen 00:00:00 -Listener Socket -Port 14790 -ErrorVariable problems -ErrorAction SilentlyContinue | Out-Null
        $problems.FullyQualifiedErrorId | Should -Contain 'ListenDurationInvalid,MirrorTools.Commands.TestMirrorPrerequisiteCommand'
    }
}
