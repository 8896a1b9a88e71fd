using Appliance.Balancing;
using Appliance.Config.Model;
using Appliance.Forwarding;
using Appliance.Logging;
using Appliance.Master;

namespace Appliance.Engine;

/// <summary>
/// The data plane of one configuration: compiled frontends and backends, server state, the shards
/// and their listening sockets. Started once, stopped once.
/// </summary>
internal sealed class Worker : IDisposable
{
    private readonly ListenerSet _listeners;
    private readonly Shard[] _shards;
    private Logging.AccessLogWriter? _accessLog;

    private Worker(
        ApplianceConfig config,
        ListenerSet listeners,
        Shard[] shards,
        Backend[] backends,
        Frontend[] frontends,
        ShardCounters[] counters,
        ConnectionBudget budget)
    {
        Config = config;
        _listeners = listeners;
        _shards = shards;
        Backends = backends;
        Frontends = frontends;
        Counters = counters;
        Budget = budget;
        StartedAt = DateTime.UtcNow;
    }

    public ApplianceConfig Config { get; }

    public IReadOnlyList<Backend> Backends { get; }

    public IReadOnlyList<Frontend> Frontends { get; }

    /// <summary>One slot per shard; read-only outside the shards.</summary>
    public ShardCounters[] Counters { get; }

    public ConnectionBudget Budget { get; }

    public int ShardCount => _shards.Length;

    /// <summary>HTTP connections holding exchange state now (in the middle of a request), over all shards.</summary>
    public int HttpExchangesInUse => _shards.Sum(shard => shard.HttpExchanges.InUse);

    public DateTime StartedAt { get; }

    /// <summary>
    /// Opens the listeners (or takes <paramref name="listeners"/>, handed over by the master) and starts
    /// every shard. <paramref name="beforeStart"/> runs once the server states exist and before any shard
    /// accepts (a reload restores carried-over server state there). Returns null with
    /// <paramref name="error"/> when a socket cannot be bound or descriptors cannot be reserved; nothing
    /// is left open then.
    /// </summary>
    public static Worker? Start(
        CompiledConfig compiled,
        IEventLog log,
        out string? error,
        ListenerSet? listeners = null,
        Action<IReadOnlyList<Backend>>? beforeStart = null)
    {
        ApplianceConfig config = compiled.Config;
        int shardCount = ShardPlacement.ShardCount(config.Global);
        ConnectionBudget? budget = ConnectionBudget.Plan(config.Global, shardCount, out error, out _); // the master reported any warning
        if (budget is null) return null;

        var backends = new Backend[config.Backends.Count];
        for (int i = 0; i < backends.Length; i++)
        {
            BackendConfig bc = config.Backends[i];
            backends[i] = new Backend(i, new BackendState(bc, shardCount))
            {
                Rules = compiled.BackendRules[i],
                Stats = bc.Stats is { } stats && bc.Mode == ProxyMode.Http
                    ? new Stats.StatsPage(stats, compiled.Stats, compiled.BackendStatsAdmin.Count > i ? compiled.BackendStatsAdmin[i] : null)
                    : null,
            };
        }
        Logging.AccessLogWriter? accessLog = Logging.AccessLogWriter.Create(config, shardCount);
        var frontends = new Frontend[config.Frontends.Count];
        for (int i = 0; i < frontends.Length; i++)
        {
            FrontendConfig fc = config.Frontends[i];
            int maxConn = fc.MaxConn > 0 ? fc.MaxConn : 0;
            frontends[i] = new Frontend(i, fc, compiled.Routes[i], backends, maxConn > 0 ? (maxConn + shardCount - 1) / shardCount : 0)
            {
                Rules = compiled.FrontendRules[i],
                Stats = fc.Stats is { } stats && fc.Mode == ProxyMode.Http
                    ? new Stats.StatsPage(stats, compiled.Stats, compiled.FrontendStatsAdmin.Count > i ? compiled.FrontendStatsAdmin[i] : null)
                    : null,
                Log = accessLog?.For(fc),
            };
        }

        if (listeners is null)
        {
            listeners = ListenerSet.Open(config, shardCount, out error);
            if (error is not null)
            {
                accessLog?.Dispose();
                return null;
            }
        }

        var counters = new ShardCounters[shardCount];
        var shards = new Shard[shardCount];
        for (int s = 0; s < shardCount; s++)
        {
            var own = new List<(int, Frontend, bool)>();
            foreach (OpenListener listener in listeners.Listeners)
            {
                if (listener.Shard != s) continue;
                Frontend frontend = frontends[listener.FrontendIndex];
                // Set both ways: the socket may come from a generation whose config said otherwise.
                Native.TcpSocket.SetQuickAck(listener.Fd, !frontend.Config.SmartAccept);
                own.Add((listener.Fd, frontend, listener.Bind.AcceptProxy));
            }
            shards[s] = new Shard(
                s,
                ShardPlacement.CpusFor(config.Global, s),
                counters,
                own,
                backends,
                frontends.Length,
                budget.MaxConnPerShard,
                budget.MaxPipesPerShard,
                log)
            {
                AccessLog = accessLog?.Ring(s),
                BusyPolling = config.Global.BusyPolling,
            };
        }
        foreach (Shard shard in shards) shard.Peers = shards;
        WarnAboutUnusedSettings(config, log);
        beforeStart?.Invoke(backends);
        var worker = new Worker(config, listeners, shards, backends, frontends, counters, budget) { _accessLog = accessLog };
        foreach (Shard shard in shards) shard.Start();
        return worker;
    }

    /// <summary>
    /// Says at startup what the configuration asks for that this engine does not do (yet), and what is
    /// risky to leave out, so nothing is silently different from HAProxy.
    /// </summary>
    private static void WarnAboutUnusedSettings(ApplianceConfig config, IEventLog log)
    {
        foreach (FrontendConfig frontend in config.Frontends)
        {
            if (frontend.Timeouts.Client is null)
                log.Warning($"{frontend.Location}: section '{frontend.Name}': missing 'timeout client': idle client connections are never closed");
        }
        foreach (FrontendConfig frontend in config.Frontends)
        {
            if (frontend.Stats is not null && frontend.Mode != ProxyMode.Http)
                log.Warning($"{frontend.Location}: section '{frontend.Name}': the statistics page needs 'mode http'; 'stats' ignored");
        }
        foreach (BackendConfig backend in config.Backends)
        {
            if (backend.Timeouts.Connect is null || backend.Timeouts.Server is null)
                log.Warning($"{backend.Location}: section '{backend.Name}': missing 'timeout connect' or 'timeout server': stuck server connections are never closed");
        }
    }

    /// <summary>True once <see cref="BeginDrain"/> was called.</summary>
    public bool Draining { get; private set; }

    /// <summary>Open client connections over all shards.</summary>
    public long CurrentConnections => Sum(c => Volatile.Read(ref c.CurrentConnections));

    /// <summary>
    /// Stops accepting and starts draining (see <see cref="Shard.BeginDrain"/>); once every shard has let
    /// go of its listeners, this process's copies of the listening sockets are closed (the master and the
    /// next generation keep theirs, so no queued connection is lost). Control thread only.
    /// </summary>
    public void BeginDrain()
    {
        if (Draining) return;
        Draining = true;
        foreach (Shard shard in _shards) shard.BeginDrain();
        bool released = true;
        foreach (Shard shard in _shards) released &= shard.WaitListenersReleased(TimeSpan.FromSeconds(5));
        // A shard that did not answer still has the descriptors in its epoll set: leave them open
        // rather than risk closing a number the shard might reuse.
        if (released) _listeners.Dispose();
    }

    /// <summary>Current connections of a frontend over all shards.</summary>
    public long FrontendCurrent(int frontend)
    {
        long total = 0;
        foreach (Shard shard in _shards) total += shard.FrontendCurrent(frontend);
        return total;
    }

    /// <summary>Connections a frontend accepted, over all shards.</summary>
    public long FrontendAccepted(int frontend)
    {
        long total = 0;
        foreach (Shard shard in _shards) total += shard.FrontendAccepted(frontend);
        return total;
    }

    /// <summary>A frontend's HTTP counter over all shards (slots as <see cref="Shard.FrontendHttpSlots"/>).</summary>
    public long FrontendHttp(int frontend, int slot)
    {
        long total = 0;
        foreach (Shard shard in _shards) total += shard.FrontendHttp(frontend, slot);
        return total;
    }

    /// <summary>A frontend's <see cref="ProxyCounters"/> slot over all shards.</summary>
    public long FrontendStat(int frontend, int slot)
    {
        long total = 0;
        foreach (Shard shard in _shards) total += shard.Proxies.Frontend(frontend, slot);
        return total;
    }

    /// <summary>A backend's <see cref="ProxyCounters"/> slot over all shards (the queue peak too: the sum of the shards' peaks).</summary>
    public long BackendStat(int backend, int slot)
    {
        long total = 0;
        foreach (Shard shard in _shards) total += shard.Proxies.Backend(backend, slot);
        return total;
    }

    /// <summary>A server's statistics slot (<see cref="ProxyCounters"/> layout) over all shards.</summary>
    public static long ServerStat(ServerState server, int slot) => server.Statistic(slot);

    /// <summary>A backend's counter over all shards (slots as <see cref="Shard.BackendSlots"/>).</summary>
    public long BackendCount(int backend, int slot)
    {
        long total = 0;
        foreach (Shard shard in _shards) total += shard.BackendCount(backend, slot);
        return total;
    }

    /// <summary>
    /// Waits until every running shard has started a new event-loop turn (see <see cref="Shard.Turns"/>),
    /// waking them so an idle shard does not hold this up; false if one did not within
    /// <paramref name="timeout"/>. Control threads only (the runtime API); never a shard.
    /// </summary>
    public bool WaitForShardTurns(TimeSpan timeout)
    {
        Interlocked.MemoryBarrier(); // the caller's published change happens before the turns are read
        var started = new long[_shards.Length];
        for (int i = 0; i < _shards.Length; i++)
        {
            started[i] = _shards[i].Turns;
            _shards[i].Wake();
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < _shards.Length; i++)
        {
            while (_shards[i].Running && _shards[i].Turns == started[i])
            {
                if (clock.Elapsed > timeout) return false;
                Thread.Sleep(1);
            }
        }
        return true;
    }

    /// <summary>Stops every shard (open connections are closed) and closes the listeners.</summary>
    public void Stop()
    {
        foreach (Shard shard in _shards) shard.Stop();
        _listeners.Dispose();
    }

    public void Dispose()
    {
        Stop();
        _accessLog?.Dispose();
        foreach (Shard shard in _shards) shard.Dispose();
    }

    /// <summary>Sums one counter over the shards (volatile reads: the shards keep writing).</summary>
    public long Sum(Func<ShardCounters, long> counter)
    {
        long total = 0;
        for (int i = 0; i < Counters.Length; i++) total += counter(Counters[i]);
        return total;
    }
}
