using Appliance.Config.Model;

namespace Appliance.Balancing;

/// <summary>
/// Chooses a server of one backend for one shard. Each shard creates its own instance per backend
/// (<see cref="Create"/>) and is the only thread that ever calls <see cref="Pick"/> on it, so the
/// picker's rotation state needs no synchronisation; it reads shared <see cref="ServerState"/> with
/// volatile reads only. <see cref="Pick"/> allocates nothing, takes no lock and writes no shared memory.
/// <para>Rules common to every algorithm (HAProxy's):</para>
/// <list type="bullet">
/// <item>A server is a candidate when it is usable (UP, admin ready, weight &gt; 0 — so <c>disabled</c>
/// servers never are) and has a free slot (below <c>maxconn</c>).</item>
/// <item>Backup servers are used only when no active server is usable, and then only the first usable
/// backup in declaration order. (<c>option allbackups</c>, which spreads over all backups, is not
/// implemented.) A full active server does not divert traffic to a backup: HAProxy would queue instead.</item>
/// <item><c>exclude</c> is a server whose connect just failed (<c>option redispatch</c>): it is avoided,
/// unless it is the only candidate left, in which case it is returned anyway — HAProxy's lb functions do
/// the same with their <c>srvtoavoid</c> argument, preferring one more try on the same server to a 503.</item>
/// </list>
/// </summary>
public abstract class Balancer
{
    private protected Balancer(BackendState backend, int shard)
    {
        ArgumentNullException.ThrowIfNull(backend);
        if ((uint)shard >= (uint)backend.ShardCount) throw new ArgumentOutOfRangeException(nameof(shard));
        Backend = backend;
        Shard = shard;
    }

    public BackendState Backend { get; }

    /// <summary>The shard that owns this picker and alone may call <see cref="Pick"/>.</summary>
    public int Shard { get; }

    public abstract BalanceAlgorithm Algorithm { get; }

    /// <summary>
    /// Returns a server to connect to, or null when none can take a connection.
    /// </summary>
    /// <param name="clientAddressHash">
    /// <see cref="ClientAddressHash.Compute(System.Net.IPAddress)"/> of the client; only <c>source</c> uses it.
    /// </param>
    /// <param name="exclude">A server to avoid (its connect just failed), or null.</param>
    public abstract ServerState? Pick(uint clientAddressHash, ServerState? exclude);

    /// <summary>Creates the picker of <paramref name="backend"/>'s algorithm for <paramref name="shard"/>.</summary>
    /// <param name="randomSeed">Seed for <c>random</c>'s generator; tests pass one, production leaves it null.</param>
    public static Balancer Create(BackendState backend, int shard, ulong? randomSeed = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return backend.Algorithm switch
        {
            BalanceAlgorithm.RoundRobin => new RoundRobinBalancer(backend, shard),
            BalanceAlgorithm.StaticRoundRobin => new StaticRoundRobinBalancer(backend, shard),
            BalanceAlgorithm.LeastConn => new LeastConnBalancer(backend, shard),
            BalanceAlgorithm.First => new FirstBalancer(backend, shard),
            BalanceAlgorithm.Source => new SourceBalancer(backend, shard),
            BalanceAlgorithm.Random => new RandomBalancer(backend, shard, randomSeed ?? (ulong)Random.Shared.NextInt64()),
            _ => throw new ArgumentOutOfRangeException(nameof(backend), backend.Algorithm, "unknown balance algorithm"),
        };
    }

    /// <summary>
    /// The servers that may receive traffic right now: all actives when at least one of them is usable,
    /// otherwise the first usable backup alone, otherwise none. Members still need
    /// <see cref="IsCandidate"/>: other actives may be down or full. Reads the backend's current
    /// <see cref="ServerSet"/> once (servers may be added or removed at runtime; see <see cref="BackendState"/>).
    /// </summary>
    private protected ReadOnlySpan<ServerState> CurrentPool(out bool isBackupPool, out int backupPosition) =>
        CurrentPool(Backend.Current, out isBackupPool, out backupPosition);

    /// <summary>As <see cref="CurrentPool(out bool, out int)"/>, over one version of the server list read once by the caller.</summary>
    private protected static ReadOnlySpan<ServerState> CurrentPool(ServerSet set, out bool isBackupPool, out int backupPosition)
    {
        ReadOnlySpan<ServerState> active = set.ActiveArray;
        for (int i = 0; i < active.Length; i++)
        {
            if (active[i].IsUsable)
            {
                isBackupPool = false;
                backupPosition = -1;
                return active;
            }
        }

        ReadOnlySpan<ServerState> backup = set.BackupArray;
        for (int i = 0; i < backup.Length; i++)
        {
            if (backup[i].IsUsable)
            {
                isBackupPool = true;
                backupPosition = i;
                return backup.Slice(i, 1);
            }
        }

        isBackupPool = false;
        backupPosition = -1;
        return ReadOnlySpan<ServerState>.Empty;
    }

    private protected ReadOnlySpan<ServerState> CurrentPool() => CurrentPool(out _, out _);

    /// <summary>May take a connection now, <paramref name="exclude"/> aside.</summary>
    private protected static bool IsCandidate(ServerState server, ServerState? exclude) =>
        !ReferenceEquals(server, exclude) && server.IsUsable && server.HasFreeSlot;

    /// <summary>
    /// Called when no candidate was found with <paramref name="exclude"/> avoided: returns it if it is
    /// in the pool and could take the connection, as the last resort described on <see cref="Balancer"/>.
    /// </summary>
    private protected static ServerState? ExcludedAsLastResort(ReadOnlySpan<ServerState> pool, ServerState? exclude)
    {
        if (exclude is null) return null;
        foreach (var server in pool)
        {
            if (ReferenceEquals(server, exclude)) return IsCandidate(server, null) ? server : null;
        }
        return null;
    }
}
