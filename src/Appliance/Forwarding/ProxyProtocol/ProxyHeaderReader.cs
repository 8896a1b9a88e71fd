using Appliance.Engine;
using Appliance.Native;
using static Appliance.Native.LinuxConstants;
using SocketAddress = Appliance.Native.SocketAddress;

namespace Appliance.Forwarding.ProxyProtocol;

/// <summary>
/// A connection accepted on a <c>bind … accept-proxy</c> listener before its session starts: waits for
/// the PROXY protocol header, reads exactly its bytes (it is peeked first, so nothing after it is
/// consumed), then hands the connection to the frontend's session with the header's source address as
/// the client (logs, <c>src</c>, <c>X-Forwarded-For</c>, <c>balance source</c>). A connection without a
/// valid header, or whose header does not arrive in time, is closed. Pooled by the shard; shard thread only.
/// </summary>
internal sealed class ProxyHeaderReader : IConnectionHandler
{
    /// <summary>How long the header may take when the frontend sets neither <c>timeout http-request</c> nor <c>timeout client</c>.</summary>
    private const long DefaultTimeoutMs = 5000;

    private readonly byte[] _peer = new byte[SocketAddress.MaxLength];
    private Shard _shard = null!;
    private Frontend _frontend = null!;
    private HandlerSlot _slot = null!;
    private int _fd = -1;
    private long _deadline;

    public long NextDeadline => _deadline;

    public void Start(Shard shard, Frontend frontend, int fd, ReadOnlySpan<byte> peer)
    {
        _shard = shard;
        _frontend = frontend;
        _fd = fd;
        peer[..SocketAddress.MaxLength].CopyTo(_peer);
        _slot = shard.AcquireSlot(this);
        long timeout = frontend.HttpRequestTimeoutMs > 0 ? frontend.HttpRequestTimeoutMs : DefaultTimeoutMs;
        _deadline = shard.Now + timeout;
        if (shard.Epoll.Add(fd, EPOLLIN | EPOLLRDHUP | EPOLLET, EpollToken.Make(EpollToken.ClientSide, _slot.Index, _slot.Generation)) != 0)
        {
            End(EndReason.ResourceExhausted);
            return;
        }
        shard.Timers.Schedule(_slot);
        // A balancer in front usually sends the header with the handshake's last packet: it may be here already.
        TryRead();
    }

    public void OnEvents(int side, uint events) => TryRead();

    public void OnTimer(long now) => End(EndReason.ClientTimeout);

    /// <summary>The shard stops: the connection is closed.</summary>
    public void Abort() => End(EndReason.Shutdown);

    private void TryRead()
    {
        Span<byte> data = stackalloc byte[ProxyHeaderParser.MaxV2Length];
        nint peeked = TcpSocket.Peek(_fd, data);
        if (peeked == -Errno.EAGAIN || peeked == -Errno.EINTR) return;
        if (peeked <= 0)
        {
            End(EndReason.ClientAborted);
            return;
        }
        Span<byte> source = stackalloc byte[SocketAddress.MaxLength];
        ProxyHeaderResult header = ProxyHeaderParser.Parse(data[..(int)peeked], source);
        if (header.Status == ProxyHeaderStatus.Incomplete) return;
        if (header.Status == ProxyHeaderStatus.Invalid || !Consume(data[..header.Length]))
        {
            End(EndReason.BadRequest);
            return;
        }
        // Over to the session, which registers the socket itself (and is told at once if bytes are waiting).
        int fd = _fd;
        _fd = -1;
        _shard.Epoll.Remove(fd);
        _shard.ReleaseSlot(_slot);
        _shard.StartSession(_frontend, fd, header.HasSource ? source : _peer);
        _shard.Recycle(this);
    }

    /// <summary>Reads exactly the header's bytes, already in the socket (they were peeked), into <paramref name="header"/> again.</summary>
    private bool Consume(Span<byte> header)
    {
        while (!header.IsEmpty)
        {
            nint n = TcpSocket.Receive(_fd, header);
            if (n > 0) header = header[(int)n..];
            else if (n != -Errno.EINTR) return false;
        }
        return true;
    }

    private void End(EndReason reason)
    {
        if (_fd < 0) return;
        Libc.Close(_fd);
        _fd = -1;
        _shard.ReleaseSlot(_slot);
        _shard.ConnectionEnded(_frontend, reason);
        _shard.Recycle(this);
    }
}
