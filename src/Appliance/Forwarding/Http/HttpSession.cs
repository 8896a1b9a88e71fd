using Appliance.Balancing;
using Appliance.Config.Model;
using Appliance.Engine;
using Appliance.Forwarding.ProxyProtocol;
using Appliance.Http;
using Appliance.Logging;
using Appliance.Native;
using Appliance.Routing;
using Appliance.Rules;
using static Appliance.Native.LinuxConstants;

namespace Appliance.Forwarding.Http;

/// <summary>
/// A <c>mode http</c> client connection on its shard: reads a request head (strictly parsed), routes
/// it, balances it to a server, sends it over a kept-alive server connection from the shard's pool (or
/// a new one), relays the bodies both ways, and then waits for the next request (keep-alive,
/// pipelining in order). Its own answers (errors, rule replies) are HAProxy's and, as in HAProxy 2.2 on, keep
/// the connection when the request was whole.
/// Pooled and reused; every method runs on the owning shard's thread.
/// </summary>
internal sealed partial class HttpSession : IConnectionHandler, IServerSide, IRequestView, IResponseView, IQueueWaiter
{
    /// <summary>How long a connection closing after an error answer reads and discards input (lingering close).</summary>
    private const long LingerMs = 1000;

    /// <summary>An answer larger than one buffer, and how much of it was sent.</summary>
    private byte[]? _largeAnswer;
    private int _largeAnswerSent;

    /// <summary>The client's sockaddr (a TCP listener's peer is AF_INET or AF_INET6: 28 bytes at most).</summary>
    private readonly byte[] _peerAddress = new byte[SocketAddress.Inet6Length];
    // The relays belong to the rented exchange state (null while the connection idles without it); the
    // client socket's edge-triggered readiness is kept here meanwhile, so no epoll edge is lost.
    private HttpRelay _request = null!;
    private HttpRelay _response = null!;
    private bool _clientReadable;
    private bool _clientWritable;
    /// <summary>
    /// Rented from the shard while an exchange is under way (null while idle); the four fields below
    /// are its parts, cached for the hot path. See <see cref="HttpExchangeState"/>.
    /// </summary>
    private HttpExchangeState? _exchange;
    private RequestHead _requestHead = null!;
    private ResponseHead _responseHead = null!;
    private HeadEdits _edits = null!;
    private HttpRuleEvaluator _rules = null!;
    /// <summary>The client address as text, for X-Forwarded-For; formatted once per connection.</summary>
    private byte[]? _clientIpText; // allocated by the first request that needs it, kept with the pooled session
    private int _clientIpTextLength;
    private System.Net.IPAddress? _clientIp;

    private Shard _shard = null!;
    private HandlerSlot _slot = null!;
    private Frontend _frontend = null!;
    private int _clientFd = -1;
    private uint _clientHash;
    private HttpSessionPhase _phase;
    private EndReason _endReason;

    private Backend? _backend;
    private ServerState? _server;
    private ServerState? _excluded;
    private bool _serverCounted;
    private BackendConnection? _connection;
    private bool _connectionReused;

    /// <summary><c>http-reuse never</c>: the server connection kept idle for this client connection's next request.</summary>
    private BackendConnection? _privateConnection;
    private bool _forceFreshConnection;
    private int _retriesLeft;

    private int _requestsOnConnection;
    private BodyFraming _requestFraming;
    private RequestMethod _requestMethod;
    private bool _keepClientAlive;
    /// <summary><c>option http-server-close</c> or <c>httpclose</c> for this request: the server connection is used once and told so.</summary>
    private bool _closeServerConnection;
    /// <summary>A request head was read for the current exchange (answers before one, 400/408/431, always close).</summary>
    private bool _requestHeadParsed;
    /// <summary>Length of the current request's head while it is still in the input (not yet consumed for forwarding); else 0.</summary>
    private int _unconsumedHeadLength;
    /// <summary>The answer being sent keeps the connection for the next request (else the connection closes after it).</summary>
    private bool _answerKeepsAlive;
    /// <summary>The answer (or the closing FIN of an idle close) is out; what remains is the lingering read.</summary>
    private bool _answerSent;
    /// <summary>Set while <see cref="ReadRequestHead"/> runs: requests answered at once are then read in its loop, not by recursion.</summary>
    private bool _readingRequestHeads;
    private bool _requestSent;
    private bool _responseHeadDone;
    private bool _responseStarted;

    private long _idleSince;
    private long _requestStartedAt;
    private long _clientActive;
    private long _serverActive;
    private long _connectDeadline;
    private long _retryAt;
    private long _lingerUntil;
    private long _queuedUntil;
    /// <summary>Stopwatch timestamp of the current request's complete head, for the latency histograms.</summary>
    private long _requestHeadAt;

    /// <summary>The frontend's access logging (null: none), and this session's record of the request for it.</summary>
    private FrontendLog? _log;
    /// <summary>Null unless this connection's frontend logs with httplog or tcplog; kept in <see cref="_exchangeLogStore"/> across pooled uses.</summary>
    private HttpExchangeLog? _exchangeLog;
    private HttpExchangeLog? _exchangeLogStore;
    private long _acceptedAt;

    /// <summary>The statistics page whose admin form body is being read, and where that body lies in the request buffer.</summary>
    private Stats.StatsPage? _localPage;
    private int _localBodyStart;
    private int _localBodyLength;
    /// <summary>Bytes of a large answer sent directly (not through the response relay), for the log's byte count.</summary>
    private long _largeAnswerBytes;

    public EndReason EndReason => _endReason;

    public long NextDeadline => _phase switch
    {
        HttpSessionPhase.AwaitingRequest => RequestBuffered == 0
            ? Deadline(_idleSince, _requestsOnConnection == 0 ? _frontend.HttpRequestTimeoutMs : _frontend.KeepAliveTimeoutMs)
            : Deadline(_requestStartedAt, _frontend.HttpRequestTimeoutMs),
        HttpSessionPhase.Queued => _queuedUntil,
        HttpSessionPhase.Connecting => _connectDeadline,
        HttpSessionPhase.WaitingRetry => _retryAt,
        HttpSessionPhase.Exchanging => Math.Min(
            Deadline(_clientActive, _frontend.ClientTimeoutMs),
            Deadline(_serverActive, _backend!.ServerTimeoutMs)),
        HttpSessionPhase.Tunnel => Math.Min(
            Deadline(_clientActive, _backend!.TunnelTimeoutMs > 0 ? _backend.TunnelTimeoutMs : _frontend.ClientTimeoutMs),
            Deadline(_serverActive, _backend.TunnelTimeoutMs > 0 ? _backend.TunnelTimeoutMs : _backend.ServerTimeoutMs)),
        HttpSessionPhase.Answering or HttpSessionPhase.AwaitingService => _lingerUntil,
        HttpSessionPhase.ReadingLocalBody => Deadline(_requestStartedAt, _frontend.HttpRequestTimeoutMs),
        _ => TimerQueue.Never,
    };

    public void Start(Shard shard, Frontend frontend, int clientFd, ReadOnlySpan<byte> peer)
    {
        // A session closed mid-exchange kept its exchange state (see Close): give it back now that the
        // previous connection's code has surely unwound.
        if (_exchange is not null) DetachExchangeState();
        _shard = shard;
        _frontend = frontend;
        _clientFd = clientFd;
        peer[..SocketAddress.Inet6Length].CopyTo(_peerAddress);
        _clientHash = ClientAddressHash.Compute(SocketAddress.IpBytes(peer));
        _clientIp = null;
        _clientIpTextLength = 0;
        _slot = shard.AcquireSlot(this);
        _clientReadable = false;
        _clientWritable = true;
        _phase = HttpSessionPhase.AwaitingRequest;
        _endReason = EndReason.None;
        _requestsOnConnection = 0;
        _requestHeadParsed = _answerKeepsAlive = _answerSent = _readingRequestHeads = false;
        _unconsumedHeadLength = 0;
        _idleSince = _clientActive = _acceptedAt = shard.Now;
        StartLog(peer);
        TcpSocket.SetNoDelay(clientFd);
        if (shard.Epoll.Add(clientFd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
                EpollToken.Make(EpollToken.ClientSide, _slot.Index, _slot.Generation)) != 0)
        {
            Close(EndReason.ResourceExhausted);
            return;
        }
        _shard.Timers.Schedule(_slot);
    }

    /// <summary>Per connection: the default log format writes its line at accept; httplog needs a request record.</summary>
    private void StartLog(ReadOnlySpan<byte> peer)
    {
        _log = _frontend.Log;
        _exchangeLog = null;
        _largeAnswerBytes = 0;
        if (_log is null) return;
        if (_log.Option == LogOption.Default)
        {
            Span<byte> local = stackalloc byte[SocketAddress.MaxLength];
            int length = TcpSocket.LocalAddress(_clientFd, local);
            if (length > 0) _log.WriteConnect(_shard, peer, local[..length]);
            return;
        }
        _exchangeLog = _exchangeLogStore ??= new HttpExchangeLog();
        _exchangeLog.Done();
    }

    public void OnEvents(int side, uint events)
    {
        bool readable = (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
        bool writable = (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0;
        if (_exchange is null)
        {
            // Idle between requests: note the edges; only input needs the exchange state.
            _clientReadable |= readable;
            _clientWritable |= writable;
            if (!readable) return;
            AttachExchangeState();
        }
        else
        {
            if (readable) _request.SourceReadable = true;
            if (writable) _response.TargetWritable = true;
        }
        Advance();
        CountStreamingTraffic();
    }

    /// <summary>Keeps the byte counters moving during a long body or tunnel, not only at its end.</summary>
    private void CountStreamingTraffic()
    {
        if (_phase is HttpSessionPhase.Exchanging or HttpSessionPhase.Tunnel) CountTraffic();
    }

    public void OnServerEvents(uint events)
    {
        // Idle between requests there is no server connection: a late event from the one just pooled is stale.
        if (_exchange is null) return;
        if (_phase == HttpSessionPhase.Connecting)
        {
            if ((events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) == 0) return;
            // Writable without an error or hang-up flag means connected: SO_ERROR is read only when it can say something.
            int error = (events & (EPOLLERR | EPOLLHUP)) != 0 ? TcpSocket.PendingError(_connection!.Fd) : 0;
            if (error != 0)
            {
                ConnectFailed(error);
                return;
            }
            _connection!.Connected = true;
            if (_server!.Config.SendProxy != ProxyProtocolVersion.None
                && !ProxyHeaderSender.TrySend(_server.Config.SendProxy, _peerAddress, _clientFd, _connection.Fd))
            {
                ConnectFailed(Errno.EPIPE);
                return;
            }
            StartExchange();
        }
        if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) _response.SourceReadable = true;
        if ((events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0) _request.TargetWritable = true;
        Advance();
        CountStreamingTraffic();
    }

    public void OnTimer(long now)
    {
        switch (_phase)
        {
            case HttpSessionPhase.AwaitingRequest:
                // An idle keep-alive connection closes silently; a started request gets 408.
                if (RequestBuffered == 0) CloseIdle(EndReason.ClientTimeout);
                else Answer(408, EndReason.ClientTimeout);
                break;
            case HttpSessionPhase.Queued:
                Answer(503, EndReason.QueueTimeout);
                break;
            case HttpSessionPhase.Connecting:
                ConnectFailed(Errno.ETIMEDOUT);
                break;
            case HttpSessionPhase.WaitingRetry:
                Connect();
                break;
            case HttpSessionPhase.Exchanging:
                if (now >= Deadline(_serverActive, _backend!.ServerTimeoutMs))
                {
                    if (!_responseStarted && TryReplay(RetryOnConditions.ResponseTimeout)) break;
                    if (!_responseStarted) Answer(504, EndReason.ServerTimeout);
                    else Close(EndReason.ServerTimeout);
                }
                else
                {
                    Close(EndReason.ClientTimeout);
                }
                break;
            case HttpSessionPhase.Tunnel:
                Close(now >= Deadline(_clientActive, _frontend.ClientTimeoutMs) ? EndReason.ClientTimeout : EndReason.ServerTimeout);
                break;
            case HttpSessionPhase.Answering:
                Close(_endReason);
                break;
            case HttpSessionPhase.AwaitingService:
                Answer(503, EndReason.ResourceExhausted);
                break;
            case HttpSessionPhase.ReadingLocalBody:
                Answer(408, EndReason.ClientTimeout);
                break;
        }
    }

    public void Abort() => Close(EndReason.Shutdown);

    private void Advance()
    {
        switch (_phase)
        {
            case HttpSessionPhase.AwaitingRequest:
                ReadRequestHead();
                break;
            case HttpSessionPhase.Exchanging:
                Exchange();
                break;
            case HttpSessionPhase.Tunnel:
                Tunnel();
                break;
            case HttpSessionPhase.Answering:
                FlushAnswer();
                break;
            case HttpSessionPhase.ReadingLocalBody:
                ReadLocalBody();
                break;
        }
    }

    private void ReadRequestHead()
    {
        _readingRequestHeads = true;
        try
        {
            ReadRequestHeads();
        }
        finally
        {
            _readingRequestHeads = false;
        }
    }

    /// <summary>Reads and handles request heads: more than one when requests are answered by the proxy at once (pipelined).</summary>
    private void ReadRequestHeads()
    {
        BufferPool buffers = _shard.Buffers;
        if (_exchange is null) AttachExchangeState();
        while (true)
        {
            if (_request.Buffered > 0)
            {
                HeadParseResult result = Http1HeadParser.ParseRequest(_request.Data, _requestHead);
                if (result.IsComplete)
                {
                    OnRequestHead(result.Consumed);
                    // Answered at once on a kept connection: the next request may already be buffered.
                    if (_phase == HttpSessionPhase.AwaitingRequest && _exchange is not null) continue;
                    return;
                }
                if (result.IsError)
                {
                    CountRequestError();
                    _exchangeLog?.BeginBadRequest(_requestStartedAt);
                    Answer(result.StatusCode, EndReason.BadRequest);
                    return;
                }
            }
            if (!_request.SourceReadable) return;
            bool first = _request.Buffered == 0;
            nint n = _request.Receive(_clientFd, buffers);
            if (n > 0)
            {
                if (first) _requestStartedAt = _shard.Now;
                _clientActive = _shard.Now;
                continue;
            }
            if (n == 0)
            {
                // Closed between requests is normal; in the middle of a head it is an aborted request.
                Close(_request.Buffered == 0 ? EndReason.Completed : EndReason.ClientAborted);
                return;
            }
            if (n == -Errno.EAGAIN)
            {
                _request.SourceReadable = false;
                _request.ReleaseIfEmpty(buffers);
                if (_request.Buffered > 0) _shard.Timers.Schedule(_slot);
                // Nothing of a request: idle again, without the exchange state.
                else if (_exchangeLog is not { Pending: true }) DetachExchangeState();
                return;
            }
            if (n == -Errno.EINTR) continue;
            if (n == -Errno.ENOBUFS)
            {
                CountRequestError();
                _exchangeLog?.BeginBadRequest(_requestStartedAt);
                Answer(431, EndReason.BadRequest);
                return;
            }
            Close(EndReason.ClientAborted);
            return;
        }
    }

    private void OnRequestHead(int headLength)
    {
        _requestsOnConnection++;
        _requestHeadParsed = true;
        _unconsumedHeadLength = headLength;
        _requestHeadAt = System.Diagnostics.Stopwatch.GetTimestamp();
        _exchangeLog?.BeginRequest(_requestStartedAt, _shard.Now, RequestLine(headLength));
        _shard.Counters.HttpRequests++;
        _shard.CountFrontendRequest(_frontend.Index);
        _requestFraming = BodyFraming.ForRequest(_requestHead);
        _requestMethod = _requestHead.Method;
        _keepClientAlive = _requestHead.KeepsConnectionAlive && !_shard.Draining
                           && _frontend.Config.ConnectionMode != HttpConnectionMode.Close;
        _responseHeadDone = _responseStarted = _requestSent = false;
        _connectionReused = _forceFreshConnection = false;
        _excluded = null;

        // http-request rules (HAProxy's order): the frontend's, routing over the request as they left
        // it, then the backend's. The output buffer doubles as the space a redirect is composed in.
        _edits.Clear();
        Span<byte> output = _request.BeginOutput(_shard.Buffers);
        RuleOutcome outcome = _rules.EvaluateFrontendRequest(_frontend.Rules, this, _edits, output);
        if (outcome.IsFinal)
        {
            AnswerRule(outcome);
            return;
        }
        if (_frontend.Stats is { } frontendStats && frontendStats.Matches(_rules.Request))
        {
            AnswerStats(frontendStats, headLength);
            return;
        }
        _backend = Route();
        if (_backend is null)
        {
            Answer(503, EndReason.NoServer);
            return;
        }
        _shard.Proxies.AddBackend(_backend.Index, ProxyCounters.BackendHttpRequests, 1);
        // The stronger of the frontend's and the backend's connection modes applies (HAProxy's matrix).
        HttpConnectionMode mode = (HttpConnectionMode)Math.Max((int)_frontend.Config.ConnectionMode, (int)_backend.State.Config.ConnectionMode);
        if (mode == HttpConnectionMode.Close) _keepClientAlive = false;
        _closeServerConnection = mode != HttpConnectionMode.KeepAlive;
        outcome = _rules.EvaluateBackendRequest(_backend.Rules, output);
        if (outcome.IsFinal)
        {
            AnswerRule(outcome);
            return;
        }
        if (_backend.Stats is { } backendStats && backendStats.Matches(_rules.Request))
        {
            AnswerStats(backendStats, headLength);
            return;
        }

        bool upgrade = _requestHead.IsUpgradeRequest;
        if (upgrade) _edits.TrySet("Connection"u8, "upgrade"u8);
        else if (_closeServerConnection) _edits.TrySet("Connection"u8, "close"u8);
        AddForwardedFor(_backend);
        if (!HeadWriter.TryWriteRequest(_request.Data, _requestHead, upgrade ? HopByHopFields.Tunnelling : HopByHopFields.Forwarding,
                _edits, output, out int written))
        {
            Answer(431, EndReason.BadRequest);
            return;
        }
        _request.CommitOutput(written);
        _request.KeepSentOutput = _requestFraming.Kind == BodyKind.None;
        _request.Skip(headLength);
        _unconsumedHeadLength = 0;
        _request.BeginBody(_requestFraming);
        if (!_request.AppendBodyToOutput())
        {
            Answer(400, EndReason.BadRequest);
            return;
        }
        _retriesLeft = _backend.Retries;
        _server = null;
        _forceFreshConnection = _closeServerConnection;
        Connect();
    }

    /// <summary>
    /// <c>option forwardfor</c> (the frontend's, else the backend's): one more header with the client
    /// address, unless the client is in the <c>except</c> network or <c>if-none</c> finds one already.
    /// </summary>
    private void AddForwardedFor(Backend backend)
    {
        Config.Model.ForwardForConfig? option = _frontend.Config.ForwardFor ?? backend.State.Config.ForwardFor;
        if (option is null) return;
        byte[] header = _frontend.Config.ForwardFor is not null ? _frontend.ForwardForHeader! : backend.ForwardForHeader!;
        if (option.IfNone && _requestHead.TryGetHeader(_request.Data, header, out _)) return;
        if (_clientIpTextLength == 0)
        {
            _clientIp = SocketAddress.ToEndPoint(_peerAddress).Address;
            if (_clientIp.IsIPv4MappedToIPv6) _clientIp = _clientIp.MapToIPv4();
            _clientIpText ??= new byte[64];
            _clientIp.TryFormat(_clientIpText, out _clientIpTextLength);
        }
        if (option.Except is { } except && except.Contains(_clientIp!)) return;
        _edits.TryAdd(header, _clientIpText!.AsSpan(0, _clientIpTextLength));
    }

    /// <summary>Which backend serves the current request (its head is parsed, not yet consumed), as the frontend's rules left it.</summary>
    private Backend? Route() => _frontend.Route(_rules.Request);

    private void StartExchange()
    {
        _phase = HttpSessionPhase.Exchanging;
        _exchangeLog?.Connected(_shard.Now);
        _request.TargetWritable = true;
        // Not readable until the server says so: a fresh connection has answered nothing yet, and a pooled
        // one holds no unread input (any input edge while idle dropped it from the pool). Edge-triggered
        // events reach the current owner, so the answer's first edge comes here; reading now would only
        // cost a recv that fails with EAGAIN on every request.
        _response.SourceReadable = false;
        _serverActive = _clientActive = _shard.Now;
        _responseHead.Reset();
        _shard.Timers.Schedule(_slot);
    }

    private void Exchange()
    {
        BufferPool buffers = _shard.Buffers;
        int serverFd = _connection!.Fd;
        if (!_requestSent)
        {
            RelayStatus status = _request.Pump(_clientFd, serverFd, buffers, out PumpActivity activity);
            Touch(activity, clientIsSource: true);
            switch (status)
            {
                case RelayStatus.Done:
                    _requestSent = true;
                    break;
                case RelayStatus.Waiting:
                    break;
                case RelayStatus.ProtocolError:
                    CountRequestError();
                    if (!_responseStarted) Answer(400, EndReason.BadRequest);
                    else Close(EndReason.BadRequest);
                    return;
                case RelayStatus.TargetFailed:
                    // The server went away while we sent. A fresh retry is safe only if nothing of the
                    // answer came back and the request can be replayed; otherwise it is a bad gateway.
                    if (!_responseStarted && TryRetryOnFreshConnection()) return;
                    if (!_responseStarted) Answer(502, EndReason.ServerAborted);
                    else Close(EndReason.ServerAborted);
                    return;
                default:
                    Close(EndReason.ClientAborted);
                    return;
            }
        }

        if (!_responseHeadDone && !ReadResponseHead()) return;
        if (_phase == HttpSessionPhase.Tunnel)
        {
            Tunnel();
            return;
        }

        RelayStatus response = _response.Pump(serverFd, _clientFd, buffers, out PumpActivity responseActivity);
        Touch(responseActivity, clientIsSource: false);
        switch (response)
        {
            case RelayStatus.Done:
                if (_requestSent) FinishExchange();
                else if (!_request.BodyDone)
                {
                    // The server answered before reading the whole request body: the rest of the body
                    // cannot be told apart from a next request, so this connection ends here.
                    Close(EndReason.Completed);
                }
                return;
            case RelayStatus.Waiting:
                return;
            case RelayStatus.TargetFailed:
                Close(EndReason.ClientAborted);
                return;
            case RelayStatus.ProtocolError:
                CountResponseError();
                Close(EndReason.ServerAborted);
                return;
            default:
                Close(EndReason.ServerAborted);
                return;
        }
    }

    /// <summary>Reads and forwards the response head; false while it is incomplete or when the session ended.</summary>
    private bool ReadResponseHead()
    {
        BufferPool buffers = _shard.Buffers;
        int serverFd = _connection!.Fd;
        while (true)
        {
            if (_response.Buffered > 0)
            {
                HeadParseResult result = Http1HeadParser.ParseResponse(_response.Data, _responseHead);
                if (result.IsError)
                {
                    CountResponseError();
                    if (TryReplay(RetryOnConditions.JunkResponse)) return false;
                    Answer(502, EndReason.ServerAborted);
                    return false;
                }
                if (result.IsComplete)
                {
                    if (_responseHead.IsInterim && _responseHead.StatusCode != 101)
                    {
                        // 100 Continue and friends go to the client as they are; the final answer follows.
                        if (!SendInterim(result.Consumed)) return false;
                        continue;
                    }
                    return OnResponseHead(result.Consumed);
                }
            }
            if (!_response.SourceReadable) return false;
            nint n = _response.Receive(serverFd, buffers);
            if (n > 0)
            {
                _serverActive = _shard.Now;
                _responseStarted = true;
                continue;
            }
            if (n == 0)
            {
                if (_response.Buffered == 0 && !_responseStarted && TryRetryOnFreshConnection()) return false;
                CountResponseError();
                if (_response.Buffered == 0 && TryReplay(RetryOnConditions.EmptyResponse)) return false;
                Answer(502, EndReason.ServerAborted);
                return false;
            }
            if (n == -Errno.EAGAIN)
            {
                _response.SourceReadable = false;
                return false;
            }
            if (n == -Errno.EINTR) continue;
            if (!_responseStarted && TryRetryOnFreshConnection()) return false;
            Answer(502, EndReason.ServerAborted);
            return false;
        }
    }

    private bool SendInterim(int headLength)
    {
        // Interim answers are small; they are sent whole before the final head is read.
        nint sent = TcpSocket.SendBytes(_clientFd, _response.Data[..headLength]);
        if (sent > 0) _response.CountSent(sent);
        if (sent != headLength)
        {
            Close(EndReason.ClientAborted);
            return false;
        }
        _response.Skip(headLength);
        _responseHead.Reset();
        return true;
    }

    private bool OnResponseHead(int headLength)
    {
        RetryOnConditions statusCondition = StatusCondition(_responseHead.StatusCode);
        if (statusCondition != RetryOnConditions.None && TryReplay(statusCondition)) return false;
        _responseHeadDone = true;
        _request.KeepSentOutput = false;
        if (!_request.HasPendingOutput) _request.ReleaseOutput(_shard.Buffers);
        _responseStarted = true;
        _exchangeLog?.ResponseHead(_shard.Now, _responseHead.StatusCode);
        BodyFraming framing = BodyFraming.ForResponse(_responseHead, _requestMethod);
        bool tunnel = _responseHead.StatusCode == 101 && _requestHead.IsUpgradeRequest;
        if (framing.Kind == BodyKind.CloseDelimited || _shard.Draining) _keepClientAlive = false;
        CountResponse(_responseHead.StatusCode);
        RecordLatency(ProxyCounters.ServerResponseTime);

        _edits.Clear();
        // http-response rules: the backend's, then the frontend's; the Connection edits below come last and win.
        if (!_rules.EvaluateResponse(_frontend.Rules, _backend!.Rules, this, SocketAddress.IpBytes(_peerAddress), _edits))
        {
            CountResponseError();
            Answer(502, EndReason.ServerAborted);
            return false;
        }
        if (tunnel) _edits.TrySet("Connection"u8, "upgrade"u8);
        else if (!_keepClientAlive) _edits.TrySet("Connection"u8, "close"u8);
        else if (_requestHead.Version == Http1Version.Http10) _edits.TrySet("Connection"u8, "keep-alive"u8);

        Span<byte> output = _response.BeginOutput(_shard.Buffers);
        if (!HeadWriter.TryWriteResponse(_response.Data, _responseHead, tunnel ? HopByHopFields.Tunnelling : HopByHopFields.Forwarding,
                _edits, output, out int written))
        {
            CountResponseError();
            Answer(502, EndReason.ServerAborted);
            return false;
        }
        _response.CommitOutput(written);
        _response.Skip(headLength);
        if (tunnel)
        {
            _phase = HttpSessionPhase.Tunnel;
            _response.BeginBody(new BodyFraming(BodyKind.Tunnel, 0));
            _request.BeginBody(new BodyFraming(BodyKind.Tunnel, 0));
            _requestSent = false;
            _shard.Timers.Schedule(_slot);
            return true;
        }
        _response.BeginBody(framing);
        if (!_response.AppendBodyToOutput())
        {
            CountResponseError();
            Answer(502, EndReason.ServerAborted);
            return false;
        }
        return true;
    }

    /// <summary>The exchange is complete: park or close the server connection, then keep the client or close.</summary>
    private void FinishExchange()
    {
        CountSplicedBytes();
        RecordLatency(ProxyCounters.ServerTotalTime);
        if (_exchangeLog is { Pending: true }) WriteHttpLog(EndReason.Completed, TerminationState.Data);
        bool serverReusable = _responseHead.KeepsConnectionAlive
                              && !_closeServerConnection
                              && _response.Buffered == 0
                              && !_response.SourceEnded
                              && _request.BodyDone;
        ReleaseServer(serverReusable);
        _response.Reset(_shard.Buffers);
        _response.TargetWritable = true;
        if (!_keepClientAlive)
        {
            Close(EndReason.Completed);
            return;
        }
        AwaitNextRequest();
    }

    /// <summary>An exchange or an answer ended on a kept connection: wait for (or read at once) the next request.</summary>
    private void AwaitNextRequest()
    {
        _phase = HttpSessionPhase.AwaitingRequest;
        _requestHeadParsed = false;
        _unconsumedHeadLength = 0;
        _requestHead.Reset();
        _responseHead.Reset();
        // No request is routed until the next one is: errors meanwhile (408) use the frontend's errorfiles.
        _backend = null;
        _idleSince = _shard.Now;
        // A pipelined request already buffered starts now (its request timer and log timers).
        if (_request.Buffered > 0) _requestStartedAt = _shard.Now;
        _request.ReleaseIfEmpty(_shard.Buffers);
        // Nothing of the next request and no input edge to follow: the connection idles without the
        // exchange state (re-rented on its next input event).
        if (_request.Buffered == 0 && !_request.SourceReadable) DetachExchangeState();
        _shard.Timers.Schedule(_slot);
        if (_shard.Draining)
        {
            CloseIfIdle();
            if (_phase == HttpSessionPhase.Closed) return;
        }
        // Inside ReadRequestHead (a request answered at once) its loop reads the next one.
        if (_exchange is not null && !_readingRequestHeads) ReadRequestHead();
    }

    /// <summary>
    /// Shard drain (shard thread): closes the connection if it waits between requests with nothing
    /// received. A connection that has not sent its first request yet is kept: that request is served
    /// (with <c>Connection: close</c>), as HAProxy does on soft-stop.
    /// </summary>
    public void CloseIfIdle()
    {
        // option idle-close-on-response: wait for the next request (answered with Connection: close).
        if (_frontend.Config.IdleCloseOnResponse) return;
        if (_phase == HttpSessionPhase.AwaitingRequest && _requestsOnConnection > 0 && RequestBuffered == 0
            && !TcpSocket.HasPendingInput(_clientFd))
        {
            CloseIdle(EndReason.Completed);
        }
    }

    /// <summary>
    /// Ends a connection that waits between requests with a lingering close: FIN first, then whatever
    /// the client still sends is read and dropped until it closes or <see cref="LingerMs"/> passes. A
    /// request sent just as we close (it crossed our FIN) then meets an orderly end of stream, which
    /// clients retry on a reused connection, instead of the reset a close with unread input provokes.
    /// </summary>
    private void CloseIdle(EndReason reason)
    {
        if (_exchange is null) AttachExchangeState();
        _endReason = reason;
        Libc.Shutdown(_clientFd, SHUT_WR);
        _answerSent = true;
        _answerKeepsAlive = false;
        _phase = HttpSessionPhase.Answering;
        _lingerUntil = _shard.Now + LingerMs;
        _shard.Timers.Schedule(_slot);
        FlushAnswer();
    }

    private void Tunnel()
    {
        BufferPool buffers = _shard.Buffers;
        int serverFd = _connection!.Fd;
        RelayStatus up = _request.Pump(_clientFd, serverFd, buffers, out PumpActivity upActivity);
        Touch(upActivity, clientIsSource: true);
        if (up == RelayStatus.Done && !_requestSent)
        {
            _requestSent = true;
            Libc.Shutdown(serverFd, SHUT_WR);
        }
        else if (up is RelayStatus.SourceFailed or RelayStatus.TargetFailed)
        {
            Close(up == RelayStatus.SourceFailed ? EndReason.ClientAborted : EndReason.ServerAborted);
            return;
        }

        RelayStatus down = _response.Pump(serverFd, _clientFd, buffers, out PumpActivity downActivity);
        Touch(downActivity, clientIsSource: false);
        if (down is RelayStatus.SourceFailed or RelayStatus.TargetFailed)
        {
            Close(down == RelayStatus.SourceFailed ? EndReason.ServerAborted : EndReason.ClientAborted);
            return;
        }
        if (down == RelayStatus.Done)
        {
            Libc.Shutdown(_clientFd, SHUT_WR);
            if (_requestSent) Close(EndReason.Completed);
        }
    }

    private void Close(EndReason reason)
    {
        if (_phase == HttpSessionPhase.Closed) return;
        byte phase = LogPhase();
        _phase = HttpSessionPhase.Closed;
        _largeAnswer = null;
        _localPage = null;
        CountSplicedBytes();
        if (_endReason == EndReason.None) _endReason = reason;
        if (_exchangeLog is not null) LogAtClose(phase);
        ReleaseServer(reusable: false);
        ClosePrivateConnection();
        CountTraffic();
        if (_clientFd >= 0)
        {
            if (reason is EndReason.ServerAborted && _responseStarted) TcpSocket.Abort(_clientFd);
            else Libc.Close(_clientFd);
            _clientFd = -1;
        }
        if (_exchange is not null)
        {
            _request.Reset(_shard.Buffers);
            _response.Reset(_shard.Buffers);
            // Kept (cleared) rather than returned: code unwinding from this close may still read the heads
            // or the relays, and the session goes back to the shard's pool with it.
            _exchange.Reset();
        }
        _server = null;
        _excluded = null;
        _backend = null;
        _shard.ReleaseSlot(_slot);
        _shard.ConnectionEnded(_frontend, _endReason);
        _shard.Recycle(this);
    }

    private void AttachExchangeState()
    {
        HttpExchangeState state = _shard.HttpExchanges.Rent();
        _exchange = state;
        _request = state.Request;
        _response = state.Response;
        _request.EnableSplice(_shard.Pipes);
        _response.EnableSplice(_shard.Pipes);
        _request.SourceReadable = _clientReadable;
        _response.TargetWritable = _clientWritable;
        _requestHead = state.RequestHead;
        _responseHead = state.ResponseHead;
        _edits = state.Edits;
        _rules = state.Rules;
    }

    /// <summary>
    /// Gives the exchange state back between requests: only when nothing of a request is buffered and no
    /// answer is pending. The relays' counts are taken first, the client socket's readiness is kept.
    /// </summary>
    private void DetachExchangeState()
    {
        if (_exchange is null) return;
        CountTraffic();
        CountSplicedBytes();
        _clientReadable = _request.SourceReadable;
        _clientWritable = _response.TargetWritable;
        _request.Reset(_shard.Buffers);
        _response.Reset(_shard.Buffers);
        _response.TakeSentBytes();
        _shard.HttpExchanges.Return(_exchange);
        _exchange = null;
        _request = null!;
        _response = null!;
        _requestHead = null!;
        _responseHead = null!;
        _edits = null!;
        _rules = null!;
    }

    /// <summary>Bytes of a request received and not yet consumed (none while the exchange state is detached).</summary>
    private int RequestBuffered => _exchange is null ? 0 : _request.Buffered;

    private static long Deadline(long since, long timeoutMs) => timeoutMs > 0 ? since + timeoutMs : TimerQueue.Never;
}
