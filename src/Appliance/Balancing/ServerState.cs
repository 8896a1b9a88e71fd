using System.Diagnostics;
using System.Net;
using Appliance.Config.Model;

namespace Appliance.Balancing;

/// <summary>
/// Runtime state of one server, shared by every shard of a worker. <see cref="Config"/> is the immutable
/// parsed line; everything else is mutable and changes only through <see cref="Volatile"/> or
/// <see cref="Interlocked"/> operations, so readers never lock.
/// <list type="bullet">
/// <item>Operational state and check results: written by the health prober only.</item>
/// <item>Admin state, weight and address: written by the runtime API (rarely).</item>
/// <item>Connection counters: one padded slot per shard, written only by that shard.</item>
/// </list>
/// </summary>
public sealed class ServerState
{
    /// <summary>HAProxy's upper bound for <c>weight</c>.</summary>
    public const int MaxWeight = 256;

    // One slot per shard plus one: the extra slot's leading padding keeps the last real slot 128 bytes
    // away from whatever object the allocator places after this array.
    private readonly ShardConnectionSlot[] _slots;

    // Per-shard traffic statistics (bytes, errors, responses, latency buckets; layout in
    // Engine.ProxyCounters): one padded array per shard, written only by that shard. They live with the
    // server rather than in a per-backend table so that a server added at runtime brings its own.
    private readonly PaddedLongArray[] _statistics;

    private int _operationalState;
    private int _adminState;
    private int _weight;
    private long _lastStateChangeTicks;
    private long _checkFailures;
    private long _downTransitions;
    private CheckReport? _lastCheck;
    private IPEndPoint _address;
    private int _deleted;
    private int _healthChecks;
    private int _idleConnections;

    internal ServerState(BackendState backend, ServerConfig config, int index, int shardCount, bool dynamic)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        Backend = backend;
        Config = config;
        Index = index;
        ShardCount = shardCount;
        _slots = new ShardConnectionSlot[shardCount + 1];
        _statistics = new PaddedLongArray[shardCount];
        for (int i = 0; i < shardCount; i++) _statistics[i] = new PaddedLongArray(Engine.ProxyCounters.ServerSlots);
        _operationalState = (int)OperationalState.Up; // HAProxy starts servers UP, checked or not
        _adminState = (int)(config.Disabled ? AdminState.Maint : AdminState.Ready);
        _weight = config.Weight;
        _address = config.Address;
        IsDynamic = dynamic;
        // HAProxy: a server added at runtime has its health checks disabled until 'enable health'.
        _healthChecks = dynamic ? 0 : 1;
    }

    public ServerConfig Config { get; }

    public BackendState Backend { get; }

    public string Name => Config.Name;

    public string BackendName => Backend.Name;

    /// <summary>
    /// Zero-based server id within the backend (HAProxy's <c>srv_id</c> is this + 1): the declaration
    /// position for configured servers, the next unused number for servers added at runtime. Never reused
    /// within a worker generation, so it is not a position in <see cref="BackendState.Servers"/>.
    /// </summary>
    public int Index { get; }

    /// <summary>Added at runtime (<c>add server</c>) rather than declared in the configuration.</summary>
    public bool IsDynamic { get; }

    /// <summary>
    /// Removed by <c>del server</c>. A shard that still holds it from an older <see cref="ServerSet"/>
    /// must not open anything new on it (a pending connect retry picks another server instead).
    /// </summary>
    public bool IsDeleted => Volatile.Read(ref _deleted) != 0;

    internal void MarkDeleted() => Volatile.Write(ref _deleted, 1);

    /// <summary>
    /// Where new connections and health checks go: the configured address until <c>set server … addr</c>
    /// changes it. Sessions read it once per connect and keep the object they read, so a connection always
    /// knows which address it was opened to (a kept-alive connection to an older address is not reused;
    /// see <c>BackendConnectionPool</c>). Any thread; one volatile read.
    /// </summary>
    public IPEndPoint Address => Volatile.Read(ref _address);

    /// <summary>Changes the address (runtime API, or a reload carrying a runtime change over). Any thread.</summary>
    public void SetAddress(IPEndPoint address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (Interlocked.Exchange(ref _address, address) != address) Backend.OnServerStateChanged();
    }

    /// <summary>
    /// Health checks run (for a server with <c>check</c>); off after <c>disable health</c>, and until
    /// <c>enable health</c> for a server added at runtime. The prober reads it; any thread.
    /// </summary>
    public bool HealthChecksEnabled => Volatile.Read(ref _healthChecks) != 0;

    /// <summary><c>enable|disable health</c> (runtime API). The prober applies it at the server's next check.</summary>
    public void SetHealthChecks(bool enabled)
    {
        if (Interlocked.Exchange(ref _healthChecks, enabled ? 1 : 0) != (enabled ? 1 : 0)) Backend.OnServerStateChanged();
    }

    public bool IsBackup => Config.Backup;

    public int ShardCount { get; }

    // ---- operational state (health prober) -------------------------------------------------------

    public OperationalState OperationalState => (OperationalState)Volatile.Read(ref _operationalState);

    public bool IsUp => Volatile.Read(ref _operationalState) == (int)OperationalState.Up;

    /// <summary>When the operational state last changed (UTC); <see cref="DateTimeOffset.MinValue"/> if never.</summary>
    public DateTimeOffset LastStateChange => new(Volatile.Read(ref _lastStateChangeTicks), TimeSpan.Zero);

    /// <summary>Number of UP→DOWN transitions (HAProxy's <c>chkdown</c>).</summary>
    public long DownTransitions => Volatile.Read(ref _downTransitions);

    /// <summary>Failed health checks, counted one by one (HAProxy's <c>chkfail</c>).</summary>
    public long CheckFailures => Volatile.Read(ref _checkFailures);

    /// <summary>The latest health check's outcome; null until the first check completes.</summary>
    public CheckReport? LastCheck => Volatile.Read(ref _lastCheck);

    /// <summary>
    /// Records a health-check verdict. Returns true when the state actually changed. Called by the
    /// health prober only (a single writer), so plain read-then-write is enough.
    /// </summary>
    public bool SetOperationalState(OperationalState state, DateTimeOffset at)
    {
        if (Volatile.Read(ref _operationalState) == (int)state) return false;
        Volatile.Write(ref _operationalState, (int)state);
        Volatile.Write(ref _lastStateChangeTicks, at.UtcTicks);
        if (state == OperationalState.Down) Interlocked.Increment(ref _downTransitions);
        Backend.OnServerStateChanged();
        return true;
    }

    /// <summary>Publishes one check's outcome. Called by the health prober only.</summary>
    public void PublishCheck(CheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!report.Passed) Interlocked.Increment(ref _checkFailures);
        Volatile.Write(ref _lastCheck, report);
    }

    /// <summary>
    /// True when the state was carried over from a previous worker generation (reload or worker
    /// restart): the prober then resumes its rise/fall counter from it instead of starting at "rise".
    /// </summary>
    public bool WasRestored { get; private set; }

    /// <summary>
    /// Carries a previous generation's state over. Called once, before any shard or the prober runs;
    /// null admin state or weight keeps this generation's configured value.
    /// </summary>
    public void Restore(OperationalState operational, AdminState? admin, int? weight, DateTimeOffset lastChange,
        long checkFailures, long downTransitions)
    {
        Volatile.Write(ref _operationalState, (int)operational);
        if (admin is { } a) Volatile.Write(ref _adminState, (int)a);
        if (weight is { } w) Volatile.Write(ref _weight, Math.Clamp(w, 0, MaxWeight));
        Volatile.Write(ref _lastStateChangeTicks, lastChange.UtcTicks);
        Volatile.Write(ref _checkFailures, checkFailures);
        Volatile.Write(ref _downTransitions, downTransitions);
        WasRestored = true;
        Backend.OnServerStateChanged();
    }

    // ---- admin state and weight (runtime API) -----------------------------------------------------

    public AdminState AdminState => (AdminState)Volatile.Read(ref _adminState);

    public void SetAdminState(AdminState state)
    {
        if (Interlocked.Exchange(ref _adminState, (int)state) != (int)state) Backend.OnServerStateChanged();
    }

    /// <summary>Effective weight: the configured one until changed at runtime. 0 takes the server out of rotation.</summary>
    public int Weight => Volatile.Read(ref _weight);

    public void SetWeight(int weight)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(weight);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(weight, MaxWeight);
        if (Interlocked.Exchange(ref _weight, weight) != weight) Backend.OnServerStateChanged();
    }

    /// <summary>
    /// In rotation: UP, admin <see cref="AdminState.Ready"/> and weight &gt; 0 (HAProxy's "usable").
    /// A full server (<see cref="HasFreeSlot"/> false) is still usable: being full is transient.
    /// </summary>
    public bool IsUsable =>
        Volatile.Read(ref _operationalState) == (int)OperationalState.Up
        && Volatile.Read(ref _adminState) == (int)AdminState.Ready
        && Volatile.Read(ref _weight) > 0;

    // ---- per-shard connection counters -------------------------------------------------------------

    /// <summary>
    /// A connection to this server was assigned on <paramref name="shard"/>. Call it as soon as the
    /// server is picked (before the connect completes) so <c>leastconn</c> and <c>maxconn</c> see it.
    /// Precondition: called on the shard's own thread, and only there.
    /// </summary>
    public void ConnectionOpened(int shard)
    {
        ref ShardConnectionSlot slot = ref _slots[CheckShard(shard)];
        Volatile.Write(ref slot.Active, slot.Active + 1);
        Volatile.Write(ref slot.Total, slot.Total + 1);
    }

    /// <summary>
    /// A connection opened with <see cref="ConnectionOpened"/> on the same <paramref name="shard"/> ended
    /// (closed, reset or failed to connect). Precondition: called on that shard's thread.
    /// </summary>
    public void ConnectionClosed(int shard)
    {
        ref ShardConnectionSlot slot = ref _slots[CheckShard(shard)];
        Debug.Assert(slot.Active > 0, "ConnectionClosed without ConnectionOpened on this shard");
        Volatile.Write(ref slot.Active, slot.Active - 1);
    }

    /// <summary>Open connections summed over all shards; may be a moment stale, never torn.</summary>
    public long ActiveConnections
    {
        get
        {
            long sum = 0;
            var slots = _slots;
            for (int i = 0; i < ShardCount; i++) sum += Volatile.Read(ref slots[i].Active);
            return sum;
        }
    }

    /// <summary>Connections ever opened, summed over all shards (HAProxy's <c>stot</c>).</summary>
    public long TotalConnections
    {
        get
        {
            long sum = 0;
            var slots = _slots;
            for (int i = 0; i < ShardCount; i++) sum += Volatile.Read(ref slots[i].Total);
            return sum;
        }
    }

    /// <summary>Shard <paramref name="shard"/>'s statistics (layout in <see cref="Engine.ProxyCounters"/>); that shard's thread only.</summary>
    internal Span<long> ShardStatistics(int shard) => _statistics[shard].AsSpan();

    /// <summary>One statistics slot summed over the shards. Any thread.</summary>
    public long Statistic(int slot)
    {
        long total = 0;
        foreach (PaddedLongArray shard in _statistics) total += Volatile.Read(ref shard[slot]);
        return total;
    }

    /// <summary>Open connections opened from one shard.</summary>
    public long ActiveConnectionsOn(int shard) => Volatile.Read(ref _slots[CheckShard(shard)].Active);

    /// <summary>
    /// Below <c>maxconn</c> (0 = unlimited). Shards read each other's counters without coordination, so
    /// under a simultaneous burst the limit can be exceeded by at most <c>ShardCount - 1</c>: exact
    /// enforcement would need a shared counter written on every connection, which is what the
    /// per-shard slots exist to avoid.
    /// </summary>
    public bool HasFreeSlot
    {
        get
        {
            int max = Config.MaxConn;
            return max <= 0 || ActiveConnections < max;
        }
    }

    // ---- idle kept-alive connections (pool-max-conn) ---------------------------------------------------

    /// <summary>
    /// Counts one more idle connection against <c>pool-max-conn</c>; false when the server already has
    /// that many (0: it keeps none). Only a server with a limit keeps the count: a shared counter
    /// written at every park and take would be paid by every keep-alive request. Any shard thread.
    /// </summary>
    internal bool TryCountIdleConnection()
    {
        int max = Config.PoolMaxConn;
        if (max < 0) return true;
        if (Interlocked.Increment(ref _idleConnections) <= max) return true;
        Interlocked.Decrement(ref _idleConnections);
        return false;
    }

    /// <summary>
    /// Publishes shard <paramref name="shard"/>'s idle pool figures for this server (<c>show servers conn</c>).
    /// That shard's thread only; plain stores into its own slot.
    /// </summary>
    internal void PublishIdle(int shard, int idle, int proven, int peakInUse, int estimatedNeed)
    {
        ref ShardConnectionSlot slot = ref _slots[CheckShard(shard)];
        Volatile.Write(ref slot.Idle, idle);
        Volatile.Write(ref slot.IdleProven, proven);
        Volatile.Write(ref slot.PeakInUse, peakInUse);
        Volatile.Write(ref slot.EstimatedNeed, estimatedNeed);
    }

    /// <summary>Idle connections in shard <paramref name="shard"/>'s pool. Any thread.</summary>
    public int IdleConnectionsOn(int shard) => Volatile.Read(ref _slots[CheckShard(shard)].Idle);

    /// <summary>Idle connections of shard <paramref name="shard"/> that have carried two requests or more. Any thread.</summary>
    public int ProvenIdleConnectionsOn(int shard) => Volatile.Read(ref _slots[CheckShard(shard)].IdleProven);

    /// <summary>Shard <paramref name="shard"/>'s peak of connections in use since its last purge. Any thread.</summary>
    public int PeakInUseOn(int shard) => Volatile.Read(ref _slots[CheckShard(shard)].PeakInUse);

    /// <summary>Connections shard <paramref name="shard"/> estimates it needs. Any thread.</summary>
    public int EstimatedNeedOn(int shard) => Volatile.Read(ref _slots[CheckShard(shard)].EstimatedNeed);

    /// <summary>An idle connection counted by <see cref="TryCountIdleConnection"/> was taken or closed.</summary>
    internal void UncountIdleConnection()
    {
        if (Config.PoolMaxConn >= 0) Interlocked.Decrement(ref _idleConnections);
    }

    private int CheckShard(int shard)
    {
        // The array has one extra (padding) slot that must never be written.
        if ((uint)shard >= (uint)ShardCount) throw new ArgumentOutOfRangeException(nameof(shard));
        return shard;
    }

    public override string ToString() => $"{BackendName}/{Name}";
}
