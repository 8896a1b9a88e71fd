using Appliance.Balancing;
using Appliance.Config.Model;
using Appliance.Forwarding.ProxyProtocol;

namespace Appliance.Health;

/// <summary>
/// The PROXY protocol header a check of a <c>send-proxy</c> server starts with, TCP or HTTP check alike:
/// HAProxy sends it unless the check goes to its own <c>port</c>. Empty when none is due.
/// </summary>
internal static class CheckProxyHeader
{
    public static byte[] For(ServerState server) =>
        server.Config.SendProxy != ProxyProtocolVersion.None && server.Config.CheckPort is null
            ? ProxyHeaderWriter.ForCheck(server.Config.SendProxy)
            : [];
}
