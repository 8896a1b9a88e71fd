using Appliance.Balancing;
using Appliance.Config.Model;
using Appliance.Engine;
using Appliance.Forwarding.ProxyProtocol;
using Appliance.Logging;
using Appliance.Native;
using Appliance.Routing;
using static Appliance.Native.LinuxConstants;

namespace Appliance.Forwarding.Tcp;

/// <summary>
/// A <c>mode tcp</c> connection: client socket, a backend connection chosen by the balancer (with
/// retries and redispatch on connect failure), then two <see cref="SpliceChannel"/>s until both
/// directions have ended. Lives entirely on the shard that accepted it; pooled and reused.
/// </summary>
internal sealed class TcpSession : IConnectionHandler, IRequestView, IQueueWaiter
{
    private const uint SocketEvents = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    private const uint ReadableEvents = EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR;
    private const uint WritableEvents = EPOLLOUT | EPOLLHUP | EPOLLERR;

    /// <summary>The client's sockaddr (a TCP listener's peer is AF_INET or AF_INET6: 28 bytes at most).</summary>
    private readonly byte[] _peerAddress = new byte[SocketAddress.Inet6Length];
    private readonly SpliceChannel _upstream;
    private readonly SpliceChannel _downstream;

    private Shard _shard = null!;
    private HandlerSlot _slot = null!;
    private Frontend _frontend = null!;
    private Backend? _backend;
    private int _clientFd = -1;
    private int _serverFd = -1;
    private uint _clientHash;
    private ServerState? _server;
    private ServerState? _excluded;
    private bool _serverCounted;
    private int _retriesLeft;
    private long _connectDeadline;
    private long _queuedUntil;
    private long _retryAt;
    private long _clientActive;
    private long _serverActive;
    /// <summary>Stopwatch timestamp of the accept, for the total-time histogram.</summary>
    private long _acceptedTimestamp;

    /// <summary>The frontend's access logging (null: none) and the instants the tcplog line reports (shard clock, -1 = not reached).</summary>
    private FrontendLog? _log;
    private long _acceptedAt;
    private long _queuedAt;
    private long _connectStart;
    private long _connectedAt;
    private long _waited;

    public TcpSession()
    {
        _upstream = new SpliceChannel(this);
        _downstream = new SpliceChannel(this);
    }

    public TcpSessionState State { get; private set; }

    public EndReason EndReason { get; private set; }

    public long NextDeadline => State switch
    {
        TcpSessionState.Queued => _queuedUntil,
        TcpSessionState.Connecting => _connectDeadline,
        TcpSessionState.WaitingRetry => _retryAt,
        TcpSessionState.Established => Math.Min(
            Deadline(_clientActive, _frontend.ClientTimeoutMs),
            Deadline(_serverActive, _backend!.ServerTimeoutMs)),
        _ => TimerQueue.Never,
    };

    /// <summary>Takes ownership of an accepted client socket and starts connecting to a server.</summary>
    public void Start(Shard shard, Frontend frontend, int clientFd, ReadOnlySpan<byte> peer)
    {
        _shard = shard;
        _frontend = frontend;
        _clientFd = clientFd;
        peer[..SocketAddress.Inet6Length].CopyTo(_peerAddress);
        _clientHash = ClientAddressHash.Compute(SocketAddress.IpBytes(peer));
        _slot = shard.AcquireSlot(this);
        _clientActive = _acceptedAt = shard.Now;
        _acceptedTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        _queuedAt = _connectStart = _connectedAt = _waited = -1;
        _log = frontend.Log;
        if (_log is { Option: LogOption.Default }) WriteConnectLog(peer);
        EndReason = EndReason.None;
        _upstream.Attach(clientFd, -1);
        TcpSocket.SetNoDelay(clientFd);
        if (shard.Epoll.Add(clientFd, SocketEvents, EpollToken.Make(EpollToken.ClientSide, _slot.Index, _slot.Generation)) != 0)
        {
            End(EndReason.ResourceExhausted);
            return;
        }

        // TCP rules can only test layer-4 facts (src): the request view has no HTTP content.
        _backend = frontend.Route(this);
        if (_backend is null)
        {
            End(EndReason.NoServer);
            return;
        }
        _retriesLeft = _backend.Retries;
        Connect();
    }

    public void OnEvents(int side, uint events)
    {
        if (side == EpollToken.ClientSide)
        {
            if ((events & ReadableEvents) != 0) _upstream.SourceReadable = true;
            if ((events & WritableEvents) != 0) _downstream.TargetWritable = true;
        }
        else
        {
            if (State == TcpSessionState.Connecting)
            {
                if ((events & WritableEvents) == 0) return;
                // Writable without an error or hang-up flag means connected: SO_ERROR is read only when it can say something.
                int error = (events & (EPOLLERR | EPOLLHUP)) != 0 ? TcpSocket.PendingError(_serverFd) : 0;
                if (error != 0)
                {
                    ConnectFailed(error);
                    return;
                }
                if (!Established()) return;
            }
            if ((events & ReadableEvents) != 0) _downstream.SourceReadable = true;
            if ((events & WritableEvents) != 0) _upstream.TargetWritable = true;
        }

        if (State == TcpSessionState.Established) Pump();
    }

    public void OnTimer(long now)
    {
        switch (State)
        {
            case TcpSessionState.Queued:
                End(EndReason.QueueTimeout);
                break;
            case TcpSessionState.Connecting:
                ConnectFailed(Errno.ETIMEDOUT);
                break;
            case TcpSessionState.WaitingRetry:
                Connect();
                break;
            case TcpSessionState.Established:
                End(now >= Deadline(_clientActive, _frontend.ClientTimeoutMs) ? EndReason.ClientTimeout : EndReason.ServerTimeout);
                break;
        }
    }

    public bool TryLeaveQueue()
    {
        if (State != TcpSessionState.Queued) return true;
        Backend backend = _backend!;
        if (ServerSelection.Pick(_shard, backend, _clientHash, null, out _server) == PickOutcome.Queue) return false;
        State = TcpSessionState.Connecting;
        Connect();
        return true;
    }

    /// <summary>Called when a pipe this session waited for may be free.</summary>
    public void Resume()
    {
        if (State == TcpSessionState.Established) Pump();
    }

    /// <summary>Ends the session at once (process stop).</summary>
    public void Abort() => End(EndReason.Shutdown);

    private void Connect()
    {
        Backend backend = _backend!;
        // A retry pending on a server deleted meanwhile (del server) goes to another one.
        if (_server is { IsDeleted: true }) _server = null;
        if (_server is null)
        {
            PickOutcome outcome = ServerSelection.Pick(_shard, backend, _clientHash, _excluded, out _server);
            if (outcome != PickOutcome.Picked)
            {
                if (outcome == PickOutcome.Queue)
                {
                    if (_queuedAt < 0) _queuedAt = _shard.Now;
                    State = TcpSessionState.Queued;
                    _queuedUntil = backend.QueueTimeoutMs > 0 ? _shard.Now + backend.QueueTimeoutMs : TimerQueue.Never;
                    _shard.Enqueue(backend, this, _slot);
                    _shard.Timers.Schedule(_slot);
                    return;
                }
                End(_excluded is null ? EndReason.NoServer : EndReason.ConnectFailed);
                return;
            }
        }

        Span<byte> serverAddress = stackalloc byte[SocketAddress.MaxLength];
        SocketAddress.Write(_server!.Address, serverAddress);
        _server.ConnectionOpened(_shard.Id);
        _serverCounted = true;
        if (_connectStart < 0)
        {
            _connectStart = _shard.Now;
            _waited = _queuedAt >= 0 ? _connectStart - _queuedAt : 0;
        }
        int fd = TcpSocket.StartConnect(serverAddress, delayHandshakeAck: _backend!.SmartConnect);
        if (fd < 0)
        {
            ConnectFailed(-fd);
            return;
        }
        _serverFd = fd;
        if (_shard.Epoll.Add(fd, SocketEvents, EpollToken.Make(EpollToken.ServerSide, _slot.Index, _slot.Generation)) != 0)
        {
            End(EndReason.ResourceExhausted);
            return;
        }
        State = TcpSessionState.Connecting;
        _connectDeadline = backend.ConnectTimeoutMs > 0 ? _shard.Now + backend.ConnectTimeoutMs : TimerQueue.Never;
        _shard.Timers.Schedule(_slot);
    }

    /// <summary>A connect attempt failed: retry, redispatch or give up (<see cref="ServerSelection"/>).</summary>
    private void ConnectFailed(int errno)
    {
        _shard.Proxies.AddServer(_server!, ProxyCounters.ServerConnectErrors, 1);
        CloseServerSocket();
        switch (ServerSelection.AfterConnectFailure(_shard, _backend!, ref _retriesLeft, errno))
        {
            case RetryDecision.GiveUp:
                End(EndReason.ConnectFailed);
                break;
            case RetryDecision.Redispatch:
                _excluded = _server;
                _server = null;
                Connect();
                break;
            case RetryDecision.RetryNow:
                Connect();
                break;
            default:
                State = TcpSessionState.WaitingRetry;
                _retryAt = _shard.Now + _backend!.TurnAroundMs;
                _shard.Timers.Schedule(_slot);
                break;
        }
    }

    /// <summary>The server connection is up; false when it ended (the PROXY header could not be sent).</summary>
    private bool Established()
    {
        if (_server!.Config.SendProxy != ProxyProtocolVersion.None
            && !ProxyHeaderSender.TrySend(_server.Config.SendProxy, _peerAddress, _clientFd, _serverFd))
        {
            End(EndReason.ServerAborted);
            return false;
        }
        State = TcpSessionState.Established;
        _serverActive = _clientActive = _connectedAt = _shard.Now;
        _upstream.Attach(_clientFd, _serverFd);
        _downstream.Attach(_serverFd, _clientFd);
        _upstream.TargetWritable = true;
        _shard.Timers.Schedule(_slot);
        return true;
    }

    private void Pump()
    {
        ref ShardCounters counters = ref _shard.Counters;
        long upBefore = _upstream.Forwarded, downBefore = _downstream.Forwarded;
        PumpResult up = _upstream.Pump(_shard.Pipes, ref counters.SplicedBytes);
        PumpResult down = (up & (PumpResult.SourceFailed | PumpResult.TargetFailed)) == 0
            ? _downstream.Pump(_shard.Pipes, ref counters.SplicedBytes)
            : PumpResult.None;
        CountTraffic(_upstream.Forwarded - upBefore, _downstream.Forwarded - downBefore);

        if ((up & PumpResult.SourceActivity) != 0) _clientActive = _shard.Now;
        if ((up & PumpResult.TargetActivity) != 0) _serverActive = _shard.Now;
        if ((up & PumpResult.SourceFailed) != 0)
        {
            End(EndReason.ClientAborted);
            return;
        }
        if ((up & PumpResult.TargetFailed) != 0)
        {
            End(EndReason.ServerAborted);
            return;
        }

        if ((down & PumpResult.SourceActivity) != 0) _serverActive = _shard.Now;
        if ((down & PumpResult.TargetActivity) != 0) _clientActive = _shard.Now;
        if ((down & PumpResult.SourceFailed) != 0)
        {
            End(EndReason.ServerAborted);
            return;
        }
        if ((down & PumpResult.TargetFailed) != 0)
        {
            End(EndReason.ClientAborted);
            return;
        }

        if (_upstream.Finished && _downstream.Finished) End(EndReason.Completed);
    }

    /// <summary>Adds bytes forwarded (client → server is "in", server → client "out") to the frontend, backend and server.</summary>
    private void CountTraffic(long bytesIn, long bytesOut)
    {
        if ((bytesIn | bytesOut) == 0) return;
        ProxyCounters proxies = _shard.Proxies;
        proxies.AddFrontend(_frontend.Index, ProxyCounters.FrontendBytesIn, bytesIn);
        proxies.AddFrontend(_frontend.Index, ProxyCounters.FrontendBytesOut, bytesOut);
        if (_backend is not { } backend) return;
        proxies.AddBackend(backend.Index, ProxyCounters.BackendBytesIn, bytesIn);
        proxies.AddBackend(backend.Index, ProxyCounters.BackendBytesOut, bytesOut);
        if (_server is not { } server) return;
        proxies.AddServer(server, ProxyCounters.ServerBytesIn, bytesIn);
        proxies.AddServer(server, ProxyCounters.ServerBytesOut, bytesOut);
    }

    /// <summary>
    /// Closes both sides. An abort on one side is passed on as a reset (SO_LINGER 0) to the other, so
    /// a peer can tell a truncated stream from a complete one.
    /// </summary>
    private void End(EndReason reason)
    {
        if (State == TcpSessionState.Closed) return;
        byte phase = State switch
        {
            TcpSessionState.Queued => TerminationState.Queue,
            TcpSessionState.Established => TerminationState.Data,
            _ => TerminationState.Connect,
        };
        State = TcpSessionState.Closed;
        EndReason = reason;
        if (_serverFd >= 0 && _server is { } server && _upstream.TargetFd >= 0)
        {
            _shard.Proxies.RecordLatency(server, ProxyCounters.ServerTotalTime,
                Metrics.LatencyBuckets.Micros(_acceptedTimestamp, System.Diagnostics.Stopwatch.GetTimestamp()));
        }
        if (_log is { Option: not LogOption.Default }) WriteTcpLog(reason, phase);

        if (_clientFd >= 0)
        {
            if (reason == EndReason.ServerAborted) TcpSocket.Abort(_clientFd);
            else Libc.Close(_clientFd);
            _clientFd = -1;
        }
        if (_serverFd >= 0)
        {
            if (reason is EndReason.ClientAborted or EndReason.ClientTimeout or EndReason.ServerTimeout or EndReason.Shutdown)
                TcpSocket.Abort(_serverFd);
            else Libc.Close(_serverFd);
            _serverFd = -1;
        }
        ReleaseServer();
        _upstream.Reset(_shard.Pipes);
        _downstream.Reset(_shard.Pipes);
        _server = null;
        _excluded = null;
        _backend = null;
        _shard.ReleaseSlot(_slot);
        _shard.ConnectionEnded(_frontend, reason);
        _shard.Recycle(this);
    }

    /// <summary>HAProxy's default format, written at accept: <c>Connect from CLIENT to FRONTEND-ADDRESS (name/TCP)</c>.</summary>
    private void WriteConnectLog(ReadOnlySpan<byte> peer)
    {
        Span<byte> local = stackalloc byte[SocketAddress.MaxLength];
        int length = TcpSocket.LocalAddress(_clientFd, local);
        if (length > 0) _log!.WriteConnect(_shard, peer, local[..length]);
    }

    /// <summary>
    /// The tcplog line (also for <c>option httplog</c> on a TCP frontend, which HAProxy downgrades to
    /// tcplog). <c>option dontlognull</c> skips connections that moved no byte either way.
    /// </summary>
    private void WriteTcpLog(EndReason reason, byte phase)
    {
        if (_log!.DontLogNull && _upstream.Forwarded == 0 && _downstream.Forwarded == 0) return;
        long backendConnections = _backend?.State.ActiveConnections ?? 0;
        (byte cause, byte endPhase) = TerminationState.Of(reason, phase, local: false);
        var entry = new TcpLogEntry
        {
            Client = _peerAddress,
            Accepted = _acceptedAt,
            Backend = _backend?.Name,
            Server = _connectStart >= 0 ? _server?.Name : null,
            Tw = _waited,
            Tc = _connectedAt >= 0 ? _connectedAt - _connectStart : -1,
            Tt = _shard.Now - _acceptedAt,
            Bytes = _downstream.Forwarded,
            Cause = cause,
            Phase = endPhase,
            BackendConnections = backendConnections,
            ServerConnections = _connectStart >= 0 && _server is not null ? _server.ActiveConnections : 0,
            Retries = _backend is not null ? Math.Max(0, _backend.Retries - _retriesLeft) : 0,
            Redispatched = _excluded is not null,
        };
        _log.WriteTcp(_shard, _frontend.Index, _clientFd, entry);
    }

    private void CloseServerSocket()
    {
        if (_serverFd >= 0)
        {
            Libc.Close(_serverFd);
            _serverFd = -1;
        }
        ReleaseServer();
    }

    private void ReleaseServer()
    {
        if (_serverCounted)
        {
            _server!.ConnectionClosed(_shard.Id);
            _serverCounted = false;
        }
    }

    ReadOnlySpan<byte> IRequestView.Method => default;

    ReadOnlySpan<byte> IRequestView.Url => default;

    ReadOnlySpan<byte> IRequestView.Path => default;

    bool IRequestView.HasQuery => false;

    ReadOnlySpan<byte> IRequestView.Query => default;

    int IRequestView.HeaderFieldCount => 0;

    ReadOnlySpan<byte> IRequestView.HeaderFieldName(int index) => default;

    ReadOnlySpan<byte> IRequestView.HeaderFieldValue(int index) => default;

    ReadOnlySpan<byte> IRequestView.SourceAddress => SocketAddress.IpBytes(_peerAddress);

    private static long Deadline(long lastActivity, long timeoutMs) =>
        timeoutMs > 0 ? lastActivity + timeoutMs : TimerQueue.Never;
}
