using Appliance.Config.Model;
using Appliance.Native;

namespace Appliance.Master;

/// <summary>
/// The listening sockets of a configuration: for every bind of every frontend, one SO_REUSEPORT
/// socket per shard, so the kernel spreads incoming connections over the shards' accept queues.
/// </summary>
internal sealed class ListenerSet : IDisposable
{
    /// <summary>Listen backlog; the kernel caps it at net.core.somaxconn.</summary>
    private const int Backlog = 4096;

    private readonly List<OpenListener> _listeners;

    private ListenerSet(List<OpenListener> listeners) => _listeners = listeners;

    public IReadOnlyList<OpenListener> Listeners => _listeners;

    /// <summary>Takes ownership of sockets opened elsewhere (a worker receiving them from the master).</summary>
    public static ListenerSet Adopt(IEnumerable<OpenListener> listeners) => new(listeners.ToList());

    /// <summary>
    /// Opens every socket, or none: on the first failure the ones already open are closed and the
    /// error names the bind line and the OS error.
    /// </summary>
    public static ListenerSet Open(ApplianceConfig config, int shardCount, out string? error)
    {
        var opened = new List<OpenListener>();
        for (int f = 0; f < config.Frontends.Count; f++)
        {
            FrontendConfig frontend = config.Frontends[f];
            foreach (BindConfig bind in frontend.Binds)
            {
                for (int shard = 0; shard < shardCount; shard++)
                {
                    int fd = OpenOne(frontend, bind, out error);
                    if (fd < 0)
                    {
                        foreach (OpenListener open in opened) Libc.Close(open.Fd);
                        return new ListenerSet(new List<OpenListener>());
                    }
                    opened.Add(new OpenListener(fd, f, shard, bind));
                }
            }
        }
        error = null;
        return new ListenerSet(opened);
    }

    /// <summary>
    /// Opens one SO_REUSEPORT listening socket for <paramref name="bind"/>; on failure returns -errno and
    /// an error naming the bind line and the OS error.
    /// </summary>
    public static int OpenOne(FrontendConfig frontend, BindConfig bind, out string? error)
    {
        int fd = TcpSocket.OpenListener(bind.EndPoint, bind.V6Only, reusePort: true, Backlog);
        error = fd < 0
            ? $"{bind.Location}: section '{frontend.Name}': keyword 'bind': cannot bind to {Describe(bind)}: {Errno.Message(-fd)}"
            : null;
        return fd;
    }

    public void Dispose()
    {
        foreach (OpenListener listener in _listeners) Libc.Close(listener.Fd);
        _listeners.Clear();
    }

    internal static string Describe(BindConfig bind) =>
        bind.EndPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{bind.EndPoint.Address}]:{bind.EndPoint.Port}"
            : bind.EndPoint.ToString();
}
