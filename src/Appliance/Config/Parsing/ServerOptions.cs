using System.Net;
using Appliance.Config.Model;

namespace Appliance.Config.Parsing;

/// <summary>
/// The options a <c>server</c> line and a <c>default-server</c> line share. A backend starts from its
/// defaults section's <c>default-server</c> options, its own <c>default-server</c> lines change them, and
/// each <c>server</c> line starts from the result. Initial values are HAProxy's (see <see cref="ServerConfig"/>).
/// </summary>
internal sealed record ServerOptions(
    bool Check = false,
    TimeSpan? Inter = null,
    TimeSpan? FastInter = null,
    TimeSpan? DownInter = null,
    int Rise = 2,
    int Fall = 3,
    int Weight = 1,
    bool Backup = false,
    int MaxConn = 0,
    bool Disabled = false,
    int? CheckPort = null,
    int PoolMaxConn = -1,
    int PoolLowConn = 0,
    TimeSpan? PoolPurgeDelay = null,
    ProxyProtocolVersion SendProxy = ProxyProtocolVersion.None)
{
    public static ServerOptions Default { get; } = new();

    public ServerConfig ToServer(string name, IPEndPoint address, SourceLocation location) =>
        new(name, address, location, Check, Inter, FastInter, DownInter, Rise, Fall, Weight, Backup, MaxConn, Disabled, CheckPort,
            PoolMaxConn, PoolLowConn, PoolPurgeDelay, SendProxy);
}
