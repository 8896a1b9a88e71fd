using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Appliance.Balancing;

/// <summary>
/// One immutable version of a backend's server list: all servers (declaration order, then dynamic
/// servers in the order they were added), and the active and backup subsets. A new version replaces
/// the whole object (see <see cref="BackendState"/>); nothing in one ever changes, so a shard that
/// read a version can walk it for as long as it likes without a lock.
/// </summary>
public sealed class ServerSet
{
    internal ServerSet(ServerState[] all, long[]? retiredStatistics = null, long retiredConnections = 0)
    {
        RetiredStatistics = retiredStatistics ?? new long[Engine.ProxyCounters.ServerSlots];
        RetiredConnections = retiredConnections;
        var active = new List<ServerState>(all.Length);
        var backup = new List<ServerState>();
        foreach (ServerState server in all) (server.IsBackup ? backup : active).Add(server);
        AllArray = all;
        ActiveArray = active.ToArray();
        BackupArray = backup.ToArray();
    }

    public static ServerSet Empty { get; } = new([]);

    internal ServerState[] AllArray { get; }

    internal ServerState[] ActiveArray { get; }

    internal ServerState[] BackupArray { get; }

    public ImmutableArray<ServerState> All => ImmutableCollectionsMarshal.AsImmutableArray(AllArray);

    public ImmutableArray<ServerState> Active => ImmutableCollectionsMarshal.AsImmutableArray(ActiveArray);

    public ImmutableArray<ServerState> Backup => ImmutableCollectionsMarshal.AsImmutableArray(BackupArray);

    public int Count => AllArray.Length;

    /// <summary>
    /// Statistics (<see cref="Engine.ProxyCounters"/> server layout) of the servers deleted from this
    /// backend so far, as they stood when each was deleted. A backend's totals are its servers' sums: they
    /// add these so that <c>del server</c> never makes them go backwards. Kept in the set, not beside it,
    /// so a reader that holds one version sees a deleted server either in <see cref="All"/> or here,
    /// never in both nor in neither. Never written after construction.
    /// </summary>
    internal long[] RetiredStatistics { get; }

    /// <summary>Connections ever opened to the servers deleted so far (their <c>stot</c>), as <see cref="RetiredStatistics"/>.</summary>
    public long RetiredConnections { get; }

    /// <summary>One slot of <see cref="RetiredStatistics"/>.</summary>
    public long RetiredStatistic(int slot) => RetiredStatistics[slot];
}
