using static Appliance.Native.LinuxConstants;

namespace Appliance.Native;

/// <summary>A kernel pipe used as the in-kernel buffer between two splice calls.</summary>
public readonly struct Pipe
{
    public Pipe(int readFd, int writeFd)
    {
        ReadFd = readFd;
        WriteFd = writeFd;
    }

    public int ReadFd { get; }

    public int WriteFd { get; }

    public bool IsValid => ReadFd > 0 && WriteFd > 0;

    /// <summary>Creates a non-blocking pipe; returns 0 or -errno.</summary>
    public static unsafe int Create(out Pipe pipe)
    {
        int* fds = stackalloc int[2];
        if (Libc.Pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0)
        {
            pipe = default;
            return -Errno.Last;
        }
        pipe = new Pipe(fds[0], fds[1]);
        return 0;
    }

    /// <summary>The pipe's capacity in bytes (F_GETPIPE_SZ).</summary>
    public int Capacity => Libc.Fcntl(WriteFd, F_GETPIPE_SZ, 0);

    /// <summary>Sets the capacity (rounded up by the kernel to a power-of-two number of pages).</summary>
    public int Resize(int bytes) => Libc.Fcntl(WriteFd, F_SETPIPE_SZ, bytes);

    public void Close()
    {
        Libc.Close(ReadFd);
        Libc.Close(WriteFd);
    }
}
