using System.Net;
using Appliance.Balancing;
using Appliance.Engine;
using Appliance.Native;
using static Appliance.Native.LinuxConstants;

namespace Appliance.Forwarding.Http;

/// <summary>
/// A connection to a server in an HTTP backend. It has its own shard slot, so it stays registered in
/// epoll (once, edge-triggered) while it moves between sessions and the idle pool: lending it costs
/// no syscall. While lent, events go to its owner; while idle, any event means the server closed it
/// (or sent something unsolicited), and it is dropped. Lives on one shard.
/// </summary>
internal sealed class BackendConnection : IConnectionHandler
{
    private readonly Shard _shard;
    private readonly HandlerSlot _slot;

    private BackendConnection(Shard shard, ServerState server, IPEndPoint address, int fd)
    {
        _shard = shard;
        Server = server;
        Address = address;
        Fd = fd;
        _slot = shard.AcquireSlot(this);
    }

    public ServerState Server { get; }

    /// <summary>
    /// The server address this connection was opened to (the <see cref="ServerState.Address"/> object of
    /// that moment): once <c>set server … addr</c> replaced it, the connection is not reused.
    /// </summary>
    public IPEndPoint Address { get; }

    /// <summary>Still points where its server does (same address object), so it may carry a new request.</summary>
    public bool MatchesServerAddress => ReferenceEquals(Address, Server.Address);

    public int Fd { get; private set; }

    /// <summary>The session using it, or null while idle in the pool.</summary>
    public IServerSide? Owner { get; private set; }

    /// <summary>Requests sent on it so far (0 for a fresh connection).</summary>
    public int RequestsServed { get; set; }

    public bool Connected { get; set; }

    public bool IsOpen => Fd >= 0;

    /// <summary>None: an idle connection is closed by its pool's purge, not by a timer of its own.</summary>
    public long NextDeadline => TimerQueue.Never;

    /// <summary>Starts a non-blocking connect; returns null with -errno in <paramref name="error"/>.</summary>
    public static BackendConnection? Connect(
        Shard shard, ServerState server, IPEndPoint endPoint, ReadOnlySpan<byte> address, bool smartConnect, IServerSide owner, out int error)
    {
        int fd = TcpSocket.StartConnect(address, delayHandshakeAck: smartConnect);
        if (fd < 0)
        {
            error = -fd;
            return null;
        }
        var connection = new BackendConnection(shard, server, endPoint, fd) { Owner = owner };
        int rc = shard.Epoll.Add(fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
            EpollToken.Make(EpollToken.ServerSide, connection._slot.Index, connection._slot.Generation));
        if (rc != 0)
        {
            connection.Close();
            error = -rc;
            return null;
        }
        error = 0;
        return connection;
    }

    public void Lend(IServerSide owner) => Owner = owner;

    /// <summary>Parks the connection idle (caller already returned it to the pool).</summary>
    public void Park() => Owner = null;

    public void OnEvents(int side, uint events)
    {
        if (Owner is not null)
        {
            Owner.OnServerEvents(events);
            return;
        }
        // Idle: a write-space edge (EPOLLOUT alone) is harmless; anything readable means the server closed
        // it, reset it, or sent bytes nobody asked for — either way it is unusable.
        if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) == 0) return;
        _shard.ServerConnections.Remove(this);
        Close();
    }

    /// <summary>Never due (<see cref="NextDeadline"/>).</summary>
    public void OnTimer(long now)
    {
    }

    /// <summary>Closes the socket (with a reset when <paramref name="abort"/>) and frees the slot.</summary>
    public void Close(bool abort = false)
    {
        if (Fd < 0) return;
        if (abort) TcpSocket.Abort(Fd);
        else Libc.Close(Fd);
        Fd = -1;
        Owner = null;
        _shard.ReleaseSlot(_slot);
    }
}
