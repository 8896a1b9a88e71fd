using System.Runtime.InteropServices;

namespace Appliance.Native;

/// <summary><c>struct iovec</c> (x86-64).</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct IoVec
{
    public void* Base;
    public nuint Length;
}

/// <summary>
/// <c>struct msghdr</c> as glibc lays it out on x86-64: <c>msg_iovlen</c> and <c>msg_controllen</c> are
/// <c>size_t</c> (the kernel's own struct uses the same widths there), 56 bytes in all.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct MsgHdr
{
    public void* Name;
    public uint NameLength;
    public IoVec* Iov;
    public nuint IovLength;
    public void* Control;
    public nuint ControlLength;
    public int Flags;
}

/// <summary><c>struct cmsghdr</c> on x86-64 glibc: <c>cmsg_len</c> is <c>size_t</c>; 16 bytes, data follows.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct CmsgHdr
{
    public nuint Length;
    public int Level;
    public int Type;
}

/// <summary><c>struct pollfd</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct PollFd
{
    public int Fd;
    public short Events;
    public short Revents;
}
