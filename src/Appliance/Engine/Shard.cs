using Appliance.Balancing;
using Appliance.Forwarding;
using Appliance.Forwarding.Http;
using Appliance.Forwarding.ProxyProtocol;
using Appliance.Forwarding.Tcp;
using Appliance.Logging;
using Appliance.Native;
using static Appliance.Native.LinuxConstants;

namespace Appliance.Engine;

/// <summary>
/// One OS thread pinned to its CPUs, with its own epoll instance, listening sockets, connections,
/// pipes, timers, balancer rotations and counters. Nothing here is touched by another thread except
/// <see cref="Stop"/> and the counters, which others only read.
/// </summary>
internal sealed class Shard : IDisposable
{
    private const int MaxEventsPerWait = 256;
    private const int MaxAcceptsPerEvent = 64;
    private const int MaxIdleSessions = 1024;
    private const long AcceptPauseReportMs = 10_000;
    /// <summary>Upper bound on one epoll_wait, so a stop request is seen even if a wake-up is lost.</summary>
    private const int MaxWaitMs = 1000;
    /// <summary>How often a shard with queued sessions looks for slots freed by other shards.</summary>
    public const int QueuePollMs = 10;
    /// <summary>How often idle resources (pooled pipes) are trimmed.</summary>
    private const long MaintenanceIntervalMs = 1000;

    private readonly ShardCounters[] _allCounters;
    private readonly ShardListener[] _listeners;
    private readonly IReadOnlyList<Backend> _backends;
    private long _nextAcceptPauseReport;
    private int _unreportedAcceptPauses;
    private readonly Balancer[] _balancers;
    private readonly BackendQueue[] _queues;
    private int _queued;
    private readonly int[] _cpus;
    private readonly IEventLog _log;
    private readonly EventFd _wake = EventFd.Create();
    /// <summary>Work other threads hand to this shard (<see cref="Post"/>): rare, never per request.</summary>
    private readonly System.Collections.Concurrent.ConcurrentQueue<Action> _posted = new();
    /// <summary>Orders <see cref="Post"/> against <see cref="Dispose"/>: a late post must not write to a closed (reused) fd.</summary>
    private readonly Lock _postGate = new();
    private bool _disposed;
    private readonly List<HandlerSlot> _slots = new();
    private readonly Stack<HandlerSlot> _freeSlots = new();
    private readonly Stack<TcpSession> _idleTcpSessions = new();
    private readonly Stack<HttpSession> _idleHttpSessions = new();
    private readonly Stack<ProxyHeaderReader> _idleProxyHeaderReaders = new();
    private readonly int[] _frontendConnections;
    private readonly long[] _frontendAccepted;
    // Per frontend: HTTP requests, then responses by class 1xx..5xx and other (FrontendHttpSlots longs each).
    private readonly long[] _frontendHttp;
    // Per backend: connection errors, retries, redispatches, connection reuses (BackendSlots longs each).
    private readonly long[] _backendCounters;
    private readonly int _maxConnections;
    private readonly ManualResetEventSlim _listenersReleased = new();
    private Thread? _thread;
    private volatile bool _stopping;
    private volatile bool _drainRequested;
    private int _current;
    private long _turns;
    private int _pausedListeners;
    private long _nextMaintenance;

    public Shard(
        int id,
        int[] cpus,
        ShardCounters[] counters,
        IReadOnlyList<(int Fd, Frontend Frontend, bool AcceptProxy)> listeners,
        IReadOnlyList<Backend> backends,
        int frontendCount,
        int maxConnections,
        int maxPipes,
        IEventLog log)
    {
        Id = id;
        ServerConnections = new BackendConnectionPool(id);
        _cpus = cpus;
        _allCounters = counters;
        _log = log;
        _maxConnections = maxConnections;
        _frontendConnections = new int[frontendCount];
        _frontendAccepted = new long[frontendCount];
        _frontendHttp = new long[frontendCount * FrontendHttpSlots];
        _backendCounters = new long[backends.Count * BackendSlots];
        Proxies = new ProxyCounters(id, frontendCount, backends.Count);
        Epoll = Epoll.Create();
        Pipes = new PipePool(maxPipes, maxIdle: 64);
        _listeners = new ShardListener[listeners.Count];
        for (int i = 0; i < listeners.Count; i++) _listeners[i] = new ShardListener(listeners[i].Fd, listeners[i].Frontend, listeners[i].AcceptProxy);
        _balancers = new Balancer[backends.Count];
        for (int i = 0; i < backends.Count; i++) _balancers[i] = Balancer.Create(backends[i].State, id);
        _backends = backends;
        _queues = new BackendQueue[backends.Count];
        for (int i = 0; i < backends.Count; i++) _queues[i] = new BackendQueue();
    }

    public int Id { get; }

    public Epoll Epoll { get; }

    public PipePool Pipes { get; }

    public TimerQueue Timers { get; } = new();

    public BufferPool Buffers { get; } = new(maxIdle: 256);

    /// <summary>Idle kept-alive server connections of HTTP backends, by server.</summary>
    public BackendConnectionPool ServerConnections { get; }

    /// <summary>Parsed heads, edit arena and rule scratch, rented by HTTP sessions for the length of an exchange.</summary>
    public HttpExchangeStatePool HttpExchanges { get; } = new();

    /// <summary>
    /// The shard clock (ms, monotonic), read once per loop iteration. CLOCK_MONOTONIC rather than
    /// <see cref="Environment.TickCount64"/>, whose coarse clock ticks every 4 ms here (clock_getres of
    /// CLOCK_MONOTONIC_COARSE): the access log's timers are in milliseconds.
    /// </summary>
    public long Now { get; private set; }

    private static long MonotonicMilliseconds() => System.Diagnostics.Stopwatch.GetTimestamp() / (System.Diagnostics.Stopwatch.Frequency / 1000);

    public ref ShardCounters Counters => ref _allCounters[Id];

    /// <summary>This shard's counters per frontend, backend and server (bytes, errors, queue, latency).</summary>
    public ProxyCounters Proxies { get; }
    /// <summary>This shard's access-log ring, or null when no frontend logs. Set before <see cref="Start"/>.</summary>
    public Logging.AccessLogRing? AccessLog { get; set; }

    /// <summary>Every shard of the worker (this one included), set before <see cref="Start"/>: log lines show process-wide counts.</summary>
    public Shard[] Peers { get; set; } = [];

    /// <summary><c>busy-polling</c>: poll with a zero timeout rather than sleep (see <see cref="PollBusily"/>). Set before <see cref="Start"/>.</summary>
    public bool BusyPolling { get; init; }

    /// <summary>Open client connections of the whole worker (volatile reads of every shard's counter).</summary>
    public long ProcessConnections()
    {
        long total = 0;
        for (int i = 0; i < _allCounters.Length; i++) total += Volatile.Read(ref _allCounters[i].CurrentConnections);
        return total;
    }

    /// <summary>Open connections of a frontend over every shard (volatile reads).</summary>
    public long FrontendConnectionsAllShards(int frontend)
    {
        long total = 0;
        foreach (Shard peer in Peers) total += peer.FrontendCurrent(frontend);
        return total;
    }

    /// <summary>
    /// Set (on the shard thread) once <see cref="BeginDrain"/> was seen: the listeners are gone, and HTTP
    /// sessions stop keeping clients alive. Read by sessions on the shard thread.
    /// </summary>
    public bool Draining { get; private set; }

    /// <summary>Current connections of a frontend on this shard (any thread; may be a moment stale).</summary>
    public long FrontendCurrent(int frontend) => Volatile.Read(ref _frontendConnections[frontend]);

    /// <summary>Connections of a frontend ever accepted on this shard (any thread; may be a moment stale).</summary>
    public long FrontendAccepted(int frontend) => Volatile.Read(ref _frontendAccepted[frontend]);

    /// <summary>Slots per frontend in the HTTP counters: requests, then responses 1xx, 2xx, 3xx, 4xx, 5xx, other.</summary>
    public const int FrontendHttpSlots = 7;

    /// <summary>An HTTP request a frontend received. Shard thread only (a plain increment).</summary>
    public void CountFrontendRequest(int frontend) => _frontendHttp[frontend * FrontendHttpSlots]++;

    /// <summary>An HTTP response a frontend sent, by status. Shard thread only (a plain increment).</summary>
    public void CountFrontendResponse(int frontend, int status)
    {
        int kind = status / 100;
        _frontendHttp[frontend * FrontendHttpSlots + (kind is >= 1 and <= 5 ? kind : 6)]++;
    }

    /// <summary>Slots per backend in the backend counters.</summary>
    public const int BackendSlots = 4;

    public const int BackendConnectErrors = 0, BackendRetries = 1, BackendRedispatches = 2, BackendReuses = 3;

    /// <summary>Counts an event of a backend (slot as the Backend* constants). Shard thread only (a plain increment).</summary>
    public void CountBackend(Backend backend, int slot) => _backendCounters[backend.Index * BackendSlots + slot]++;

    /// <summary>A backend's counter; volatile read.</summary>
    public long BackendCount(int backend, int slot) => Volatile.Read(ref _backendCounters[backend * BackendSlots + slot]);

    /// <summary>A frontend's HTTP counter (<paramref name="slot"/> as <see cref="FrontendHttpSlots"/>); volatile read.</summary>
    public long FrontendHttp(int frontend, int slot) => Volatile.Read(ref _frontendHttp[frontend * FrontendHttpSlots + slot]);

    public Balancer BalancerFor(Backend backend) => _balancers[backend.Index];

    /// <summary>Puts a session in its backend's waiting line (all servers at maxconn).</summary>
    public void Enqueue(Backend backend, IQueueWaiter waiter, HandlerSlot slot)
    {
        BackendQueue queue = _queues[backend.Index];
        queue.Enqueue(waiter, slot);
        _queued++;
        Proxies.SetQueued(backend, queue.Count);
    }

    /// <summary>Sessions waiting for a server slot on this shard, all backends.</summary>
    public int QueuedSessions => _queued;

    public void Start()
    {
        Now = MonotonicMilliseconds();
        for (int i = 0; i < _listeners.Length; i++)
        {
            int rc = Epoll.Add(_listeners[i].Fd, EPOLLIN, EpollToken.Make(EpollToken.Listener, i, 0));
            if (rc != 0) throw new InvalidOperationException($"epoll_ctl(listener) failed: {Errno.Message(-rc)}");
        }
        Epoll.Add(_wake.Fd, EPOLLIN, EpollToken.Make(EpollToken.Wake, 0, 0));
        _thread = new Thread(Run) { Name = $"shard-{Id}", IsBackground = true };
        _thread.Start();
    }

    /// <summary>
    /// Asks the shard to stop accepting (its listeners leave its epoll set; the sockets stay open for the
    /// caller to close) and to drain: idle kept-alive HTTP clients are closed, the others get
    /// <c>Connection: close</c> on their next response, TCP tunnels run on. Any thread.
    /// </summary>
    public void BeginDrain()
    {
        _drainRequested = true;
        _wake.Signal();
    }

    /// <summary>
    /// Runs <paramref name="work"/> on this shard's thread at its next loop turn (e.g. to send an answer
    /// rendered elsewhere). Any thread. Work posted after the shard stopped never runs.
    /// </summary>
    public void Post(Action work)
    {
        lock (_postGate)
        {
            if (_disposed) return;
            _posted.Enqueue(work);
            _wake.Signal();
        }
    }

    /// <summary>Waits until the shard no longer polls its listeners (after <see cref="BeginDrain"/>). Any thread.</summary>
    public bool WaitListenersReleased(TimeSpan timeout) =>
        _thread is null || !_thread.IsAlive || _listenersReleased.Wait(timeout);

    /// <summary>
    /// Event-loop turns started so far (any thread; volatile read). Everything a shard does with a server
    /// it picked — the pick and the connection count that follows — happens within one turn, so once
    /// every shard has started a new turn after a change was published, no shard still acts on what it
    /// saw before the change (<see cref="Worker.WaitForShardTurns"/>, used by <c>del server</c>).
    /// </summary>
    public long Turns => Volatile.Read(ref _turns);

    /// <summary>True while the loop thread runs.</summary>
    public bool Running => _thread is { IsAlive: true } && !_stopping;

    /// <summary>Interrupts the shard's epoll wait so it starts a new turn. Any thread.</summary>
    public void Wake() => _wake.Signal();

    /// <summary>Asks the loop to end and waits for it. Any thread.</summary>
    public void Stop()
    {
        _stopping = true;
        _wake.Signal();
        _thread?.Join();
    }

    public HandlerSlot AcquireSlot(IConnectionHandler handler)
    {
        if (!_freeSlots.TryPop(out HandlerSlot? slot))
        {
            slot = new HandlerSlot(_slots.Count);
            _slots.Add(slot);
        }
        slot.Handler = handler;
        return slot;
    }

    /// <summary>Frees a slot: events and timers still queued for it are ignored from now on.</summary>
    public void ReleaseSlot(HandlerSlot slot)
    {
        slot.Handler = null;
        slot.Generation++;
        slot.ScheduledAt = TimerQueue.Never;
        _freeSlots.Push(slot);
    }

    /// <summary>Called by a client session when it has closed its sockets and released its slot.</summary>
    public void ConnectionEnded(Frontend frontend, EndReason reason)
    {
        ref ShardCounters counters = ref Counters;
        counters.CurrentConnections--;
        CountExchangeEnd(reason);
        _current--;
        _frontendConnections[frontend.Index]--;
        if (_pausedListeners > 0) ResumeListeners();
    }

    /// <summary>
    /// Counts why an exchange ended: when the connection ends, or when an HTTP connection is kept after
    /// the proxy answered a request itself.
    /// </summary>
    public void CountExchangeEnd(EndReason reason)
    {
        if (reason == EndReason.NoServer) Counters.NoServer++;
    }

    public void Recycle(TcpSession session)
    {
        if (_idleTcpSessions.Count < MaxIdleSessions) _idleTcpSessions.Push(session);
    }

    public void Recycle(HttpSession session)
    {
        if (_idleHttpSessions.Count < MaxIdleSessions) _idleHttpSessions.Push(session);
    }

    public void Recycle(ProxyHeaderReader reader)
    {
        if (_idleProxyHeaderReaders.Count < MaxIdleSessions) _idleProxyHeaderReaders.Push(reader);
    }

    public void Dispose()
    {
        Pipes.Dispose();
        Epoll.Dispose();
        lock (_postGate)
        {
            _disposed = true;
            _wake.Dispose();
        }
        _listenersReleased.Dispose();
    }

    private void Run()
    {
        if (_cpus.Length > 0)
        {
            int rc = CpuAffinity.PinCurrentThread(_cpus);
            if (rc != 0) _log.Warning($"shard {Id}: cannot pin to CPUs {string.Join(',', _cpus)}: {Errno.Message(-rc)}");
        }

        Span<EpollEvent> events = stackalloc EpollEvent[MaxEventsPerWait];
        Span<byte> peer = stackalloc byte[SocketAddress.MaxLength];
        while (!_stopping)
        {
            // Published once per loop turn (not per event): see Turns.
            Volatile.Write(ref _turns, _turns + 1);
            int timeout = Timers.WaitMilliseconds(Now, _queued > 0 ? QueuePollMs : MaxWaitMs);
            int n = BusyPolling ? PollBusily(events, timeout) : Epoll.Wait(events, timeout);
            Now = MonotonicMilliseconds();
            for (int i = 0; i < n; i++)
            {
                ulong token = events[i].Data;
                int kind = EpollToken.Kind(token);
                if (kind == EpollToken.Listener)
                {
                    Accept(_listeners[EpollToken.Slot(token)], peer);
                }
                else if (kind == EpollToken.Wake)
                {
                    _wake.Drain();
                    while (_posted.TryDequeue(out Action? work)) work();
                    if (_drainRequested && !Draining) EnterDrain();
                }
                else
                {
                    HandlerSlot slot = _slots[EpollToken.Slot(token)];
                    if (slot.Generation == EpollToken.Generation(token)) slot.Handler?.OnEvents(kind, events[i].Events);
                }
            }
            Pipes.ResumeWaiters();
            if (_queued > 0) ServeQueues();
            Timers.Run(Now);
            if (Now >= _nextMaintenance)
            {
                Pipes.Trim();
                Buffers.Trim();
                ServerConnections.DropDeletedServers();
                ServerConnections.Purge(Now);
                _nextMaintenance = Now + MaintenanceIntervalMs;
            }
        }
        CloseAll();
    }

    /// <summary>
    /// Polls with a zero timeout until an event arrives, the stop flag is set or <paramref name="timeoutMs"/>
    /// (the next timer) passes, so the thread never sleeps and its CPU never halts: an event costs its
    /// sender no wake-up of this CPU (an IPI, a VM exit on a virtual machine) and this thread no
    /// scheduler round trip. The price is a whole CPU per shard, even idle. (HAProxy's loop is the same,
    /// without the yield.)
    /// </summary>
    private int PollBusily(Span<EpollEvent> events, int timeoutMs)
    {
        long until = System.Diagnostics.Stopwatch.GetTimestamp() + timeoutMs * (System.Diagnostics.Stopwatch.Frequency / 1000);
        while (true)
        {
            int n = Epoll.Wait(events, 0);
            if (n != 0 || _stopping || System.Diagnostics.Stopwatch.GetTimestamp() >= until) return n;
            // Nothing to do: another shard placed on this CPU goes first. Alone on its CPU the call returns at
            // once; shards sharing one would otherwise spin through each other's time slices (measured with two
            // shards on one CPU: connection per request 13.1k -> 15.0k req/s, see perf/README.md).
            Libc.SchedYield();
        }
    }

    private void ServeQueues()
    {
        int queued = 0;
        for (int i = 0; i < _queues.Length; i++)
        {
            BackendQueue queue = _queues[i];
            if (queue.Count > 0) queue.Serve();
            queued += queue.Count;
            // Also when it is empty: the last waiter may have left since the previous turn.
            Proxies.SetQueued(_backends[i], queue.Count);
        }
        _queued = queued;
    }

    private void Accept(ShardListener listener, Span<byte> peer)
    {
        Frontend frontend = listener.Frontend;
        ref ShardCounters counters = ref Counters;
        for (int i = 0; i < MaxAcceptsPerEvent; i++)
        {
            if (AtLimit(frontend))
            {
                PauseListener(listener);
                return;
            }
            int fd = TcpSocket.Accept(listener.Fd, peer);
            if (fd < 0)
            {
                int errno = -fd;
                if (errno == Errno.EAGAIN || errno == Errno.EINTR || errno == Errno.ECONNABORTED) return;
                counters.AcceptErrors++;
                if (errno is Errno.EMFILE or Errno.ENFILE or Errno.ENOBUFS or Errno.ENOMEM)
                {
                    // Out of descriptors: stop accepting until a connection ends, rather than spin.
                    PauseListener(listener);
                    ReportAcceptPause(frontend, errno);
                }
                return;
            }
            counters.Accepted++;
            counters.CurrentConnections++;
            _current++;
            _frontendConnections[frontend.Index]++;
            _frontendAccepted[frontend.Index]++;
            if (listener.AcceptProxy)
            {
                if (!_idleProxyHeaderReaders.TryPop(out ProxyHeaderReader? reader)) reader = new ProxyHeaderReader();
                reader.Start(this, frontend, fd, peer);
            }
            else
            {
                StartSession(frontend, fd, peer);
            }
        }
    }

    /// <summary>Starts the frontend's session on an accepted connection whose client is <paramref name="peer"/> (a sockaddr).</summary>
    public void StartSession(Frontend frontend, int fd, ReadOnlySpan<byte> peer)
    {
        if (frontend.Config.Mode == Config.Model.ProxyMode.Http)
        {
            if (!_idleHttpSessions.TryPop(out HttpSession? http)) http = new HttpSession();
            http.Start(this, frontend, fd, peer);
        }
        else
        {
            if (!_idleTcpSessions.TryPop(out TcpSession? tcp)) tcp = new TcpSession();
            tcp.Start(this, frontend, fd, peer);
        }
    }

    /// <summary>
    /// Says that accepting paused for lack of descriptors, at most once per <see cref="AcceptPauseReportMs"/>:
    /// at the limit every ended connection resumes accepting and the next accept pauses again, and one
    /// line per connection would flood the log.
    /// </summary>
    private void ReportAcceptPause(Frontend frontend, int errno)
    {
        _unreportedAcceptPauses++;
        if (Now < _nextAcceptPauseReport) return;
        string more = _unreportedAcceptPauses > 1 ? $" ({_unreportedAcceptPauses - 1} more pauses since the last report)" : "";
        _log.Alert($"shard {Id}: accept failed on frontend '{frontend.Name}': {Errno.Message(errno)}; accepting again when a connection ends{more}");
        _unreportedAcceptPauses = 0;
        _nextAcceptPauseReport = Now + AcceptPauseReportMs;
    }

    private bool AtLimit(Frontend frontend) =>
        (_maxConnections > 0 && _current >= _maxConnections)
        || (frontend.MaxConnPerShard > 0 && _frontendConnections[frontend.Index] >= frontend.MaxConnPerShard);

    private void PauseListener(ShardListener listener)
    {
        if (listener.Paused || Draining) return;
        listener.Paused = true;
        _pausedListeners++;
        Epoll.Modify(listener.Fd, 0, EpollToken.Make(EpollToken.Listener, Array.IndexOf(_listeners, listener), 0));
    }

    private void ResumeListeners()
    {
        if (Draining) return;
        for (int i = 0; i < _listeners.Length; i++)
        {
            ShardListener listener = _listeners[i];
            if (!listener.Paused || AtLimit(listener.Frontend)) continue;
            listener.Paused = false;
            _pausedListeners--;
            Epoll.Modify(listener.Fd, EPOLLIN, EpollToken.Make(EpollToken.Listener, i, 0));
        }
    }

    /// <summary>
    /// Stops accepting: the listeners leave the epoll set (the sockets themselves are shared with the next
    /// generation and closed by the worker), then idle kept-alive HTTP clients are closed.
    /// </summary>
    private void EnterDrain()
    {
        Draining = true;
        for (int i = 0; i < _listeners.Length; i++)
        {
            // Paused listeners are still registered (with no events): remove every one.
            Epoll.Remove(_listeners[i].Fd);
        }
        _pausedListeners = 0;
        _listenersReleased.Set();
        foreach (HandlerSlot slot in _slots)
        {
            if (slot.Handler is HttpSession http) http.CloseIfIdle();
        }
    }

    private void CloseAll()
    {
        _listenersReleased.Set();
        foreach (HandlerSlot slot in _slots)
        {
            if (slot.Handler is TcpSession tcp) tcp.Abort();
            else if (slot.Handler is HttpSession http) http.Abort();
            else if (slot.Handler is BackendConnection connection) connection.Close();
            else if (slot.Handler is ProxyHeaderReader reader) reader.Abort();
        }
    }
}
