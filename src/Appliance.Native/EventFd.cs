using static Appliance.Native.LinuxConstants;

namespace Appliance.Native;

/// <summary>An eventfd used to wake an epoll loop from another thread.</summary>
public sealed unsafe class EventFd : IDisposable
{
    private EventFd(int fd) => Fd = fd;

    public int Fd { get; }

    public static EventFd Create()
    {
        int fd = Libc.EventFd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (fd < 0) throw new InvalidOperationException($"eventfd failed: {Errno.Message(Errno.Last)}");
        return new EventFd(fd);
    }

    /// <summary>Wakes the loop waiting on this fd. Thread-safe.</summary>
    public void Signal()
    {
        ulong one = 1;
        Libc.Write(Fd, &one, sizeof(ulong));
    }

    /// <summary>Clears pending signals (called by the loop that owns it).</summary>
    public void Drain()
    {
        ulong value;
        Libc.Read(Fd, &value, sizeof(ulong));
    }

    public void Dispose() => Libc.Close(Fd);
}
