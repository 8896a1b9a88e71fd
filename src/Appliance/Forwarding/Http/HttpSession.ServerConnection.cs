using Appliance.Balancing;
using Appliance.Config.Model;
using Appliance.Engine;
using Appliance.Http;
using Appliance.Native;

namespace Appliance.Forwarding.Http;

/// <summary>
/// The server side of the exchange: picking a server connection (pooled or new), connect failures and
/// retries, replaying a request on a fresh connection, and giving the connection back.
/// </summary>
internal sealed partial class HttpSession
{
    /// <summary>
    /// Picks a server and gets a connection to it: an idle one when <c>http-reuse</c> allows
    /// (<see cref="TakeIdleConnection"/>), otherwise a new one.
    /// </summary>
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
                    _exchangeLog?.Queued(_shard.Now);
                    _phase = HttpSessionPhase.Queued;
                    _queuedUntil = backend.QueueTimeoutMs > 0 ? _shard.Now + backend.QueueTimeoutMs : TimerQueue.Never;
                    _shard.Enqueue(backend, this, _slot);
                    _shard.Timers.Schedule(_slot);
                    return;
                }
                Answer(503, _excluded is null ? EndReason.NoServer : EndReason.ConnectFailed);
                return;
            }
        }
        _server!.ConnectionOpened(_shard.Id);
        _serverCounted = true;
        _exchangeLog?.Connecting(_shard.Now);

        BackendConnection? connection = TakeIdleConnection(ReuseFor(_server));
        if (connection is not null)
        {
            connection.Lend(this);
            _connection = connection;
            _connectionReused = true;
            _shard.Counters.ConnectionReuses++;
            _shard.CountBackend(_backend!, Shard.BackendReuses);
            StartExchange();
            Advance();
            return;
        }

        _connectionReused = false;
        // Read once: the connection remembers the address it was opened to (set server addr may change it).
        System.Net.IPEndPoint address = _server.Address;
        Span<byte> encoded = stackalloc byte[SocketAddress.MaxLength];
        SocketAddress.Write(address, encoded);
        connection = BackendConnection.Connect(_shard, _server, address, encoded, _backend!.SmartConnect, this, out int error);
        if (connection is null)
        {
            ConnectFailed(error);
            return;
        }
        _connection = connection;
        _phase = HttpSessionPhase.Connecting;
        _connectDeadline = backend.ConnectTimeoutMs > 0 ? _shard.Now + backend.ConnectTimeoutMs : TimerQueue.Never;
        _shard.Timers.Schedule(_slot);
    }

    /// <summary>
    /// The idle connection to <see cref="_server"/> this request may travel on, or null. Safe (HAProxy's
    /// default): not for a client connection's first request, which a client cannot retry if the server
    /// closes the connection under it. Aggressive: a first request only over a connection that has carried
    /// two requests (it has proved the server keeps connections alive). Always: any. Never: only the
    /// connection this client connection opened, kept while it waited for its next request.
    /// </summary>
    /// <summary>
    /// The backend's <c>http-reuse</c>, except for a server sent the PROXY protocol: its connections name one
    /// client, so they serve that client connection alone (HAProxy makes them private too).
    /// </summary>
    private HttpReuseMode ReuseFor(ServerState server) =>
        server.Config.SendProxy != ProxyProtocolVersion.None ? HttpReuseMode.Never : _backend!.HttpReuse;

    private BackendConnection? TakeIdleConnection(HttpReuseMode reuse)
    {
        if (reuse == HttpReuseMode.Never)
        {
            BackendConnection? own = _privateConnection;
            _privateConnection = null;
            if (own is null) return null;
            if (!_forceFreshConnection && own.IsOpen && own.Server == _server && own.MatchesServerAddress) return own;
            own.Close();
            return null;
        }
        if (_forceFreshConnection) return null;
        bool first = _requestsOnConnection <= 1;
        return reuse switch
        {
            HttpReuseMode.Safe when first => null,
            HttpReuseMode.Aggressive => _shard.ServerConnections.Take(_server!, provenOnly: first),
            _ => _shard.ServerConnections.Take(_server!, provenOnly: false),
        };
    }

    /// <summary>Closes the connection <c>http-reuse never</c> kept for this client connection's next request.</summary>
    private void ClosePrivateConnection()
    {
        _privateConnection?.Close();
        _privateConnection = null;
    }

    public bool TryLeaveQueue()
    {
        if (_phase != HttpSessionPhase.Queued) return true;
        Backend backend = _backend!;
        if (ServerSelection.Pick(_shard, backend, _clientHash, null, out _server) == PickOutcome.Queue) return false;
        // A slot is free (or no server is usable any more, which Connect answers with 503).
        _phase = HttpSessionPhase.Connecting;
        Connect();
        return true;
    }

    /// <summary>Retries as in TCP mode: same server after a turn-around delay, redispatch on the last retry.</summary>
    private void ConnectFailed(int errno)
    {
        ServerState? failed = _server;
        _shard.Proxies.AddServer(failed!, ProxyCounters.ServerConnectErrors, 1);
        ReleaseServer(reusable: false);
        bool retryAllowed = (_backend!.RetryOn & RetryOnConditions.ConnectionFailure) != 0;
        switch (ServerSelection.AfterConnectFailure(_shard, _backend, ref _retriesLeft, errno, retryAllowed))
        {
            case RetryDecision.GiveUp:
                Answer(503, EndReason.ConnectFailed);
                break;
            case RetryDecision.Redispatch:
                _excluded = failed;
                _server = null;
                Connect();
                break;
            case RetryDecision.RetryNow:
                Connect();
                break;
            default:
                _phase = HttpSessionPhase.WaitingRetry;
                _retryAt = _shard.Now + _backend!.TurnAroundMs;
                _shard.Timers.Schedule(_slot);
                break;
        }
    }

    /// <summary>
    /// A reused server connection failed before any byte of the answer: the server closed it while it
    /// sat idle. A bodiless idempotent request is replayed once on a fresh connection to the same
    /// server (its rewritten head was kept for this); anything else gets 502.
    /// </summary>
    private bool TryRetryOnFreshConnection()
    {
        if (!_connectionReused || _requestFraming.Kind != BodyKind.None || !IsIdempotent(_requestMethod)) return false;
        if (!_request.Rewind()) return false;
        ServerState server = _server!;
        ReleaseServer(reusable: false);
        _responseHead.Reset();
        _response.Reset(_shard.Buffers);
        _response.TargetWritable = true;
        _requestSent = false;
        _forceFreshConnection = true;
        _server = server;
        Connect();
        return true;
    }

    /// <summary>
    /// <c>retry-on</c>: replays the request on a fresh connection after a failure at the server,
    /// when the backend asks for it and nothing of the answer reached the client, for bodiless
    /// idempotent requests (whose rewritten head was kept). False: the caller answers the error.
    /// </summary>
    private bool TryReplay(RetryOnConditions condition)
    {
        if ((_backend!.RetryOn & condition) == 0) return false;
        if (_requestFraming.Kind != BodyKind.None || !IsIdempotent(_requestMethod) || !_request.Rewind()) return false;
        ServerState? failed = _server;
        RetryDecision decision = ServerSelection.AfterRequestFailure(_shard, _backend, ref _retriesLeft);
        if (decision == RetryDecision.GiveUp) return false;
        ReleaseServer(reusable: false);
        _responseHead.Reset();
        _response.Reset(_shard.Buffers);
        _response.TargetWritable = true;
        _requestSent = _responseHeadDone = _responseStarted = false;
        _forceFreshConnection = true;
        if (decision == RetryDecision.Redispatch)
        {
            _excluded = failed;
            _server = null;
        }
        Connect();
        return true;
    }

    private static RetryOnConditions StatusCondition(int status) => status switch
    {
        404 => RetryOnConditions.Status404,
        408 => RetryOnConditions.Status408,
        425 => RetryOnConditions.Status425,
        500 => RetryOnConditions.Status500,
        501 => RetryOnConditions.Status501,
        502 => RetryOnConditions.Status502,
        503 => RetryOnConditions.Status503,
        504 => RetryOnConditions.Status504,
        _ => RetryOnConditions.None,
    };

    private static bool IsIdempotent(RequestMethod method) =>
        method is RequestMethod.Get or RequestMethod.Head or RequestMethod.Options or RequestMethod.Put or RequestMethod.Delete;

    private void ReleaseServer(bool reusable)
    {
        CountTraffic();
        if (_serverCounted)
        {
            _server!.ConnectionClosed(_shard.Id);
            _serverCounted = false;
        }
        BackendConnection? connection = _connection;
        if (connection is null) return;
        _connection = null;
        if (reusable && connection.IsOpen)
        {
            connection.RequestsServed++;
            if (ReuseFor(connection.Server) == HttpReuseMode.Never)
            {
                // Kept for this client connection alone, idle (any event from the server closes it).
                if (_keepClientAlive)
                {
                    connection.Park();
                    _privateConnection = connection;
                    return;
                }
            }
            else if (_shard.ServerConnections.Put(connection, _shard.Now)) return;
            // A clean idle connection the pool does not need (e.g. one per client connection with
            // Connection: close): reset it, as HAProxy does. The server has nothing in flight, and a FIN
            // would leave a TIME_WAIT entry on our side per connection (its ephemeral port tied up, the
            // next connect searching past it) and cost the server a FIN handshake.
            connection.Close(abort: true);
            return;
        }
        connection.Close(abort: !reusable && connection.Connected && !_request.BodyDone);
    }
}
