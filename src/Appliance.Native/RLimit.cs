using System.Runtime.InteropServices;

namespace Appliance.Native;

/// <summary><c>struct rlimit</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct RLimit
{
    public ulong Current;
    public ulong Maximum;
}
