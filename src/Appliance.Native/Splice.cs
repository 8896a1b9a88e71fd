using static Appliance.Native.LinuxConstants;

namespace Appliance.Native;

/// <summary>splice(2) between a socket and a pipe, non-blocking, without offsets.</summary>
public static unsafe class Splice
{
    /// <summary>Moves up to <paramref name="length"/> bytes; returns bytes moved, 0 at EOF, or -errno.</summary>
    public static nint Move(int fromFd, int toFd, nint length)
    {
        nint n = Libc.Splice(fromFd, null, toFd, null, length, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
        return n >= 0 ? n : -Errno.Last;
    }
}
