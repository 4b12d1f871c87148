using System.Runtime.InteropServices;

namespace MirrorTools.Native;

/// <summary>struct bpf_program: what pcap_compile fills and pcap_freecode releases.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct BpfProgram
{
    public uint InstructionCount;
    public nint Instructions;
}
