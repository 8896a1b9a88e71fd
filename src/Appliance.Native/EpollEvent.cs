using System.Runtime.InteropServices;

namespace Appliance.Native;

/// <summary><c>struct epoll_event</c>: packed on x86-64 (12 bytes).</summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
public struct EpollEvent
{
    public uint Events;
    public ulong Data;
}
