using static Appliance.Native.LinuxConstants;

namespace Appliance.Native;

/// <summary>One epoll instance. Owned by one thread; methods return 0 or -errno.</summary>
public sealed unsafe class Epoll : IDisposable
{
    private Epoll(int fd) => Fd = fd;

    public int Fd { get; }

    public static Epoll Create()
    {
        int fd = Libc.EpollCreate1(EPOLL_CLOEXEC);
        if (fd < 0) throw new InvalidOperationException($"epoll_create1 failed: {Errno.Message(Errno.Last)}");
        return new Epoll(fd);
    }

    public int Add(int fd, uint events, ulong data) => Control(EPOLL_CTL_ADD, fd, events, data);

    public int Modify(int fd, uint events, ulong data) => Control(EPOLL_CTL_MOD, fd, events, data);

    public int Remove(int fd) => Control(EPOLL_CTL_DEL, fd, 0, 0);

    /// <summary>Waits for events; returns the count, or -errno (-EINTR is normal).</summary>
    public int Wait(Span<EpollEvent> events, int timeoutMs)
    {
        fixed (EpollEvent* e = events)
        {
            int n = Libc.EpollWait(Fd, e, events.Length, timeoutMs);
            return n >= 0 ? n : -Errno.Last;
        }
    }

    public void Dispose() => Libc.Close(Fd);

    private int Control(int op, int fd, uint events, ulong data)
    {
        EpollEvent ev = new() { Events = events, Data = data };
        return Libc.EpollCtl(Fd, op, fd, &ev) == 0 ? 0 : -Errno.Last;
    }
}
