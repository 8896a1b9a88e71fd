using System.Net;
using Appliance.Balancing;
using Appliance.Config.Model;

namespace Appliance.Health;

/// <summary>Where a health check connects, as HAProxy chooses it.</summary>
internal static class CheckEndpoint
{
    /// <summary>
    /// The server's current address (<see cref="ServerState.Address"/>: <c>set server … addr</c> moves
    /// checks too) with, in order of precedence, the port of <c>http-check connect port N</c>,
    /// the server's <c>port</c> option (unless an <c>http-check connect</c> without <c>default</c> set the
    /// server's check options aside), or the server's own port.
    /// </summary>
    public static IPEndPoint For(ServerState server, HttpCheckConfig? httpCheck = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        IPEndPoint address = server.Address;
        int? port = httpCheck?.ConnectPort ?? (httpCheck is null || httpCheck.UsesServerCheckOptions ? server.Config.CheckPort : null);
        return port is { } p && p != address.Port ? new IPEndPoint(address.Address, p) : address;
    }
}
