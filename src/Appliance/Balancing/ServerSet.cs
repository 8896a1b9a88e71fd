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
    internal ServerSet(ServerState[] all)
    {
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
}
