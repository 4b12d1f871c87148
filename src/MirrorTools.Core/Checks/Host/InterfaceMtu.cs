namespace MirrorTools.Checks.Host;

/// <summary>An interface's MTU, and the largest MTU its driver takes (0 when it does not say).</summary>
internal readonly record struct InterfaceMtu(int Mtu, int MaxMtu);
