using Appliance.Config.Model;
using Appliance.Native;
using Appliance.Runtime;

namespace Appliance.Master;

/// <summary>
/// The sockets the master owns: one SO_REUSEPORT listener per bind per shard, and the runtime API
/// sockets. A reload keeps the socket of every bind (and stats socket path) that still exists, so its
/// accept queue lives on; new ones are opened; removed ones are closed only once no worker generation
/// polls them any more. Master control thread only (callers hold the master's lock).
/// </summary>
internal sealed class SocketPool
{
    private readonly List<HandedSocket> _sockets = new();

    public IReadOnlyList<HandedSocket> Sockets => _sockets;

    /// <summary>
    /// Finds or opens every socket <paramref name="config"/> needs. Nothing changes until
    /// <see cref="Commit"/>; on failure the sockets opened here are closed again and the error names the
    /// configuration line and the OS error.
    /// </summary>
    public SocketPlan? Prepare(ApplianceConfig config, int shardCount, out string? error)
    {
        var assignments = new List<SocketAssignment>();
        var opened = new List<HandedSocket>();
        var claimed = new HashSet<HandedSocket>();
        for (int f = 0; f < config.Frontends.Count; f++)
        {
            FrontendConfig frontend = config.Frontends[f];
            for (int b = 0; b < frontend.Binds.Count; b++)
            {
                BindConfig bind = frontend.Binds[b];
                for (int shard = 0; shard < shardCount; shard++)
                {
                    string key = $"tcp {ListenerSet.Describe(bind)} v6only={bind.V6Only} shard={shard}";
                    HandedSocket? socket = Find(key, claimed);
                    if (socket is null)
                    {
                        int fd = ListenerSet.OpenOne(frontend, bind, out error);
                        if (fd < 0)
                        {
                            foreach (HandedSocket open in opened) open.Close();
                            return null;
                        }
                        socket = new HandedSocket(HandedSocketKind.Listener, fd, key);
                        opened.Add(socket);
                    }
                    claimed.Add(socket);
                    assignments.Add(new SocketAssignment(socket, f, b, shard));
                }
            }
        }
        for (int i = 0; i < config.Global.StatsSockets.Count; i++)
        {
            StatsSocketConfig stats = config.Global.StatsSockets[i];
            string key = $"unix {stats.Path}";
            HandedSocket? socket = Find(key, claimed);
            if (socket is null)
            {
                int fd = RuntimeApiServer.Bind(stats.Path, stats.Mode, out string? reason);
                if (fd < 0)
                {
                    foreach (HandedSocket open in opened) open.Close();
                    error = $"{stats.Location}: section 'global': keyword 'stats': cannot bind socket '{stats.Path}': {reason}";
                    return null;
                }
                socket = new HandedSocket(HandedSocketKind.StatsSocket, fd, key) { Path = stats.Path };
                opened.Add(socket);
            }
            else
            {
                try
                {
                    File.SetUnixFileMode(stats.Path, (UnixFileMode)(stats.Mode ?? Convert.ToInt32("600", 8)));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The file was removed behind our back: the socket still works for those who hold it.
                }
            }
            claimed.Add(socket);
            assignments.Add(new SocketAssignment(socket, i, 0, 0));
        }
        error = null;
        return new SocketPlan(assignments, opened);
    }

    /// <summary>Makes <paramref name="plan"/> the current set; the sockets it does not use are retired.</summary>
    public void Commit(SocketPlan plan)
    {
        _sockets.AddRange(plan.Opened);
        var used = new HashSet<HandedSocket>(plan.Assignments.Select(a => a.Socket));
        foreach (HandedSocket socket in _sockets) socket.Current = used.Contains(socket);
    }

    /// <summary>Closes what <see cref="Prepare"/> opened for a plan that will not be used.</summary>
    public static void Abort(SocketPlan plan)
    {
        foreach (HandedSocket socket in plan.Opened) socket.Close();
    }

    /// <summary>Closes retired sockets that no live worker polls any more; returns how many.</summary>
    public int CloseRetired(Func<HandedSocket, bool> stillPolled)
    {
        int closed = 0;
        for (int i = _sockets.Count - 1; i >= 0; i--)
        {
            HandedSocket socket = _sockets[i];
            if (socket.Current || stillPolled(socket)) continue;
            socket.Close();
            _sockets.RemoveAt(i);
            closed++;
        }
        return closed;
    }

    public void CloseAll()
    {
        foreach (HandedSocket socket in _sockets) socket.Close();
        _sockets.Clear();
    }

    private HandedSocket? Find(string key, HashSet<HandedSocket> claimed)
    {
        // Current sockets first; a retired one still open (an old generation drains on it) comes back too.
        foreach (HandedSocket socket in _sockets)
        {
            if (socket.Current && socket.Key == key && !claimed.Contains(socket)) return socket;
        }
        foreach (HandedSocket socket in _sockets)
        {
            if (!socket.Current && socket.Key == key && !claimed.Contains(socket)) return socket;
        }
        return null;
    }
}
