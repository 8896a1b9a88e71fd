using System.Runtime.InteropServices;

namespace Appliance.Native;

/// <summary>errno values the engine reacts to, and their messages.</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EPIPE = 32;
    public const int EMFILE = 24;
    public const int ENFILE = 23;
    public const int EADDRINUSE = 98;
    public const int EADDRNOTAVAIL = 99;
    public const int ENETUNREACH = 101;
    public const int ECONNABORTED = 103;
    public const int ECONNRESET = 104;
    public const int ENOBUFS = 105;
    public const int ETIMEDOUT = 110;
    public const int ECONNREFUSED = 111;
    public const int EHOSTUNREACH = 113;
    public const int EINPROGRESS = 115;
    public const int ENAMETOOLONG = 36;
    public const int ESRCH = 3;

    /// <summary>errno of the last <see cref="Libc"/> call on this thread.</summary>
    public static int Last => Marshal.GetLastPInvokeError();

    /// <summary>The C library's message for an errno value (strerror).</summary>
    public static string Message(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
