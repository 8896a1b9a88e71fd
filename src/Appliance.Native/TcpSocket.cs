using System.Net;
using System.Net.Sockets;
using static Appliance.Native.LinuxConstants;

namespace Appliance.Native;

/// <summary>
/// Non-blocking TCP socket operations on raw file descriptors. Results follow the syscall convention:
/// a non-negative value is success, a negative value is <c>-errno</c>, so callers branch without
/// exceptions or allocation.
/// </summary>
public static unsafe class TcpSocket
{
    /// <summary>
    /// Opens a non-blocking listening socket on <paramref name="endPoint"/> with SO_REUSEADDR and, when
    /// <paramref name="reusePort"/>, SO_REUSEPORT (one socket per shard, the kernel spreads connections).
    /// </summary>
    public static int OpenListener(IPEndPoint endPoint, bool v6Only, bool reusePort, int backlog)
    {
        int family = endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? AF_INET6 : AF_INET;
        int fd = Libc.Socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) return -Errno.Last;
        int one = 1;
        int rc = Libc.SetSockOpt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(int));
        if (rc == 0 && reusePort) rc = Libc.SetSockOpt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(int));
        if (rc == 0 && family == AF_INET6)
        {
            int v6 = v6Only ? 1 : 0;
            rc = Libc.SetSockOpt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6, sizeof(int));
        }
        if (rc == 0)
        {
            byte* address = stackalloc byte[SocketAddress.MaxLength];
            int length = SocketAddress.Write(endPoint, new Span<byte>(address, SocketAddress.MaxLength));
            rc = Libc.Bind(fd, address, length);
        }
        if (rc == 0) rc = Libc.Listen(fd, backlog);
        if (rc != 0)
        {
            int errno = Errno.Last;
            Libc.Close(fd);
            return -errno;
        }
        return fd;
    }

    /// <summary>The port a socket is bound to (for listeners opened on port 0).</summary>
    public static int LocalPort(int fd)
    {
        byte* address = stackalloc byte[SocketAddress.MaxLength];
        int length = SocketAddress.MaxLength;
        if (Libc.GetSockName(fd, address, &length) != 0) return -Errno.Last;
        return SocketAddress.Port(new ReadOnlySpan<byte>(address, length));
    }

    /// <summary>The local address of a socket (getsockname) into <paramref name="address"/>; its length, or -errno.</summary>
    public static int LocalAddress(int fd, Span<byte> address)
    {
        int length = address.Length;
        fixed (byte* p = address)
        {
            if (Libc.GetSockName(fd, p, &length) != 0) return -Errno.Last;
        }
        return length;
    }

    /// <summary>
    /// Accepts one connection as a non-blocking fd; the peer address goes into <paramref name="peer"/>
    /// (at least <see cref="SocketAddress.MaxLength"/> bytes). Returns -EAGAIN when the queue is empty.
    /// </summary>
    public static int Accept(int listenerFd, Span<byte> peer)
    {
        fixed (byte* address = peer)
        {
            int length = peer.Length;
            int fd = Libc.Accept4(listenerFd, address, &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
            return fd >= 0 ? fd : -Errno.Last;
        }
    }

    /// <summary>
    /// Creates a non-blocking socket and starts connecting to an encoded address. Returns the fd
    /// (connection in progress or done: wait for EPOLLOUT then read <see cref="PendingError"/>) or -errno.
    /// <paramref name="delayHandshakeAck"/>: quick ACKs off, so the kernel holds the handshake's last ACK
    /// for the first data sent (HAProxy's tcp-smart-connect).
    /// </summary>
    public static int StartConnect(ReadOnlySpan<byte> address, bool delayHandshakeAck = false)
    {
        int family = SocketAddress.Family(address);
        int fd = Libc.Socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) return -Errno.Last;
        SetNoDelay(fd);
        if (delayHandshakeAck) SetQuickAck(fd, false);
        int length = family == AF_INET ? SocketAddress.InetLength : SocketAddress.Inet6Length;
        fixed (byte* a = address)
        {
            if (Libc.Connect(fd, a, length) == 0) return fd;
        }
        int errno = Errno.Last;
        if (errno == Errno.EINPROGRESS) return fd;
        Libc.Close(fd);
        return -errno;
    }

    /// <summary>SO_ERROR: 0 when a non-blocking connect succeeded, else its errno.</summary>
    public static int PendingError(int fd)
    {
        int error = 0;
        int length = sizeof(int);
        if (Libc.GetSockOpt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) return Errno.Last;
        return error;
    }

    public static void SetNoDelay(int fd)
    {
        int one = 1;
        Libc.SetSockOpt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(int));
    }

    /// <summary>
    /// TCP_QUICKACK. Off on a listener, accepted connections do not acknowledge a first small request on
    /// their own: the answer carries the ACK (or the delayed-ACK timer sends it).
    /// </summary>
    public static int SetQuickAck(int fd, bool on)
    {
        int value = on ? 1 : 0;
        return Libc.SetSockOpt(fd, IPPROTO_TCP, TCP_QUICKACK, &value, sizeof(int)) == 0 ? 0 : -Errno.Last;
    }

    /// <summary>Closes with SO_LINGER 0 so the peer sees a reset (used to abort, never to end normally).</summary>
    public static void Abort(int fd)
    {
        Linger linger = new() { OnOff = 1, Seconds = 0 };
        Libc.SetSockOpt(fd, SOL_SOCKET, SO_LINGER, &linger, sizeof(Linger));
        Libc.Close(fd);
    }

    /// <summary>recv without flags; returns bytes, 0 at EOF, or -errno.</summary>
    public static nint Receive(int fd, Span<byte> buffer)
    {
        fixed (byte* b = buffer)
        {
            nint n = Libc.Recv(fd, b, buffer.Length, 0);
            return n >= 0 ? n : -Errno.Last;
        }
    }

    /// <summary>recv with MSG_PEEK (non-blocking): the bytes stay queued; returns bytes, 0 at EOF, or -errno.</summary>
    public static nint Peek(int fd, Span<byte> buffer)
    {
        fixed (byte* b = buffer)
        {
            nint n = Libc.Recv(fd, b, buffer.Length, MSG_PEEK | MSG_DONTWAIT);
            return n >= 0 ? n : -Errno.Last;
        }
    }

    /// <summary>
    /// True when the peer has sent bytes not read yet (or closed): a non-blocking one-byte MSG_PEEK.
    /// Used when deciding whether an idle connection can be closed without cutting a request in flight.
    /// </summary>
    public static bool HasPendingInput(int fd)
    {
        byte b;
        nint n = Libc.Recv(fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
        return n >= 0 || Errno.Last != Errno.EAGAIN;
    }

    /// <summary>send with MSG_NOSIGNAL; returns bytes written or -errno.</summary>
    public static nint SendBytes(int fd, ReadOnlySpan<byte> buffer)
    {
        fixed (byte* b = buffer)
        {
            nint n = Libc.Send(fd, b, buffer.Length, MSG_NOSIGNAL);
            return n >= 0 ? n : -Errno.Last;
        }
    }

    private struct Linger
    {
        public int OnOff;
        public int Seconds;
    }
}
