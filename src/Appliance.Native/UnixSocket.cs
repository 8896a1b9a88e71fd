using System.Text;
using static Appliance.Native.LinuxConstants;

namespace Appliance.Native;

/// <summary>
/// Unix-domain sockets for the control plane: the master–worker socketpair that carries descriptors
/// (<c>SCM_RIGHTS</c>), and listening sockets for the command interfaces. Results follow the syscall
/// convention (negative = -errno). Not used on the data path.
/// </summary>
public static unsafe class UnixSocket
{
    /// <summary>The kernel's limit on descriptors in one SCM_RIGHTS message (SCM_MAX_FD).</summary>
    public const int MaxDescriptorsPerMessage = 253;

    /// <summary><c>sizeof(sockaddr_un.sun_path)</c>.</summary>
    public const int MaxPathLength = 108;

    private static int CmsgAlign(int length) => (length + 7) & ~7;

    private static int CmsgSpace(int dataLength) => sizeof(CmsgHdr) + CmsgAlign(dataLength);

    /// <summary>A connected pair of blocking stream sockets, both close-on-exec.</summary>
    public static int Pair(out int first, out int second)
    {
        int* fds = stackalloc int[2];
        if (Libc.SocketPair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
        {
            first = second = -1;
            return -Errno.Last;
        }
        first = fds[0];
        second = fds[1];
        return 0;
    }

    /// <summary>Sets or clears FD_CLOEXEC: a descriptor a child process must inherit is made inheritable just for the spawn.</summary>
    public static int SetInheritable(int fd, bool inheritable)
    {
        int rc = Libc.Fcntl(fd, F_SETFD, inheritable ? 0 : FD_CLOEXEC);
        return rc < 0 ? -Errno.Last : 0;
    }

    public static int SetNonBlocking(int fd)
    {
        int flags = Libc.Fcntl(fd, F_GETFL, 0);
        if (flags < 0) return -Errno.Last;
        return Libc.Fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 ? -Errno.Last : 0;
    }

    /// <summary>
    /// Sends <paramref name="data"/> with <paramref name="fds"/> attached (at most
    /// <see cref="MaxDescriptorsPerMessage"/>). Returns bytes sent (the descriptors travel with the first
    /// byte; a short count means the rest must be sent without them) or -errno.
    /// </summary>
    public static nint Send(int socket, ReadOnlySpan<byte> data, ReadOnlySpan<int> fds)
    {
        if (fds.Length > MaxDescriptorsPerMessage) return -Errno.ENOBUFS;
        int controlLength = fds.Length == 0 ? 0 : CmsgSpace(fds.Length * sizeof(int));
        byte* control = stackalloc byte[Math.Max(controlLength, 1)];
        new Span<byte>(control, Math.Max(controlLength, 1)).Clear();
        fixed (byte* bytes = data)
        {
            IoVec iov = new() { Base = bytes, Length = (nuint)data.Length };
            MsgHdr message = new() { Iov = &iov, IovLength = 1 };
            if (fds.Length > 0)
            {
                var header = (CmsgHdr*)control;
                header->Length = (nuint)(sizeof(CmsgHdr) + fds.Length * sizeof(int));
                header->Level = SOL_SOCKET;
                header->Type = SCM_RIGHTS;
                fds.CopyTo(new Span<int>(control + sizeof(CmsgHdr), fds.Length));
                message.Control = control;
                message.ControlLength = (nuint)controlLength;
            }
            while (true)
            {
                nint n = Libc.SendMsg(socket, &message, MSG_NOSIGNAL);
                if (n >= 0) return n;
                int errno = Errno.Last;
                if (errno != Errno.EINTR) return -errno;
            }
        }
    }

    /// <summary>
    /// Receives into <paramref name="buffer"/>; descriptors that arrive are appended to
    /// <paramref name="fds"/> (close-on-exec in this process). Returns bytes (0 at EOF) or -errno;
    /// -EMSGSIZE when descriptors were dropped because the kernel had to truncate them.
    /// </summary>
    public static nint Receive(int socket, Span<byte> buffer, List<int> fds)
    {
        int controlLength = CmsgSpace(MaxDescriptorsPerMessage * sizeof(int));
        byte* control = stackalloc byte[controlLength];
        fixed (byte* bytes = buffer)
        {
            IoVec iov = new() { Base = bytes, Length = (nuint)buffer.Length };
            MsgHdr message = new() { Iov = &iov, IovLength = 1, Control = control, ControlLength = (nuint)controlLength };
            nint n;
            while (true)
            {
                n = Libc.RecvMsg(socket, &message, MSG_CMSG_CLOEXEC);
                if (n >= 0) break;
                int errno = Errno.Last;
                if (errno != Errno.EINTR) return -errno;
            }
            if (message.ControlLength >= (nuint)sizeof(CmsgHdr))
            {
                byte* cursor = control;
                byte* end = control + (int)message.ControlLength;
                while (cursor + sizeof(CmsgHdr) <= end)
                {
                    var header = (CmsgHdr*)cursor;
                    if (header->Length < (nuint)sizeof(CmsgHdr)) break;
                    if (header->Level == SOL_SOCKET && header->Type == SCM_RIGHTS)
                    {
                        int count = ((int)header->Length - sizeof(CmsgHdr)) / sizeof(int);
                        int* received = (int*)(cursor + sizeof(CmsgHdr));
                        for (int i = 0; i < count; i++) fds.Add(received[i]);
                    }
                    cursor += CmsgAlign((int)header->Length);
                }
            }
            if ((message.Flags & MSG_CTRUNC) != 0) return -EMSGSIZE;
            return n;
        }
    }

    private const int EMSGSIZE = 90;

    /// <summary>
    /// Opens a non-blocking, close-on-exec listening socket at <paramref name="path"/> (a leading '@'
    /// means the abstract namespace). The caller removes a stale file first and sets its mode.
    /// </summary>
    public static int OpenListener(string path, int backlog)
    {
        int fd = Libc.Socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) return -Errno.Last;
        byte* address = stackalloc byte[2 + MaxPathLength];
        int length = WriteAddress(path, address);
        if (length < 0)
        {
            Libc.Close(fd);
            return length;
        }
        if (Libc.Bind(fd, address, length) != 0 || Libc.Listen(fd, backlog) != 0)
        {
            int errno = Errno.Last;
            Libc.Close(fd);
            return -errno;
        }
        return fd;
    }

    /// <summary>Accepts one connection as a blocking, close-on-exec socket; -EAGAIN when none is waiting.</summary>
    public static int Accept(int listener)
    {
        while (true)
        {
            int fd = Libc.Accept4(listener, null, null, SOCK_CLOEXEC);
            if (fd >= 0) return fd;
            int errno = Errno.Last;
            if (errno != Errno.EINTR) return -errno;
        }
    }

    /// <summary>Waits until <paramref name="fd"/> is readable: 1 readable, 0 timeout, -errno on error.</summary>
    public static int WaitReadable(int fd, int timeoutMs)
    {
        PollFd poll = new() { Fd = fd, Events = POLLIN };
        int rc = Libc.Poll(&poll, 1, timeoutMs);
        if (rc < 0)
        {
            int errno = Errno.Last;
            return errno == Errno.EINTR ? 0 : -errno;
        }
        return rc;
    }

    /// <summary>
    /// Waits until <paramref name="fd"/> or <paramref name="wakeFd"/> is readable: 1 when
    /// <paramref name="fd"/> is, 2 when only the wake descriptor is, 0 on timeout, -errno on error.
    /// </summary>
    public static int WaitReadable(int fd, int wakeFd, int timeoutMs)
    {
        PollFd* polls = stackalloc PollFd[2];
        polls[0] = new PollFd { Fd = fd, Events = POLLIN };
        polls[1] = new PollFd { Fd = wakeFd, Events = POLLIN };
        int rc = Libc.Poll(polls, 2, timeoutMs);
        if (rc < 0)
        {
            int errno = Errno.Last;
            return errno == Errno.EINTR ? 0 : -errno;
        }
        if (rc == 0) return 0;
        return polls[0].Revents != 0 ? 1 : 2;
    }

    private static int WriteAddress(string path, byte* address)
    {
        int byteCount = Encoding.UTF8.GetByteCount(path);
        if (byteCount == 0 || byteCount >= MaxPathLength) return -Errno.ENAMETOOLONG;
        new Span<byte>(address, 2 + MaxPathLength).Clear();
        *(ushort*)address = AF_UNIX;
        var destination = new Span<byte>(address + 2, MaxPathLength);
        Encoding.UTF8.GetBytes(path, destination);
        if (path[0] == '@')
        {
            // Abstract namespace: a leading NUL, and the length covers exactly the name.
            destination[0] = 0;
            return 2 + byteCount;
        }
        return 2 + byteCount + 1;
    }
}
