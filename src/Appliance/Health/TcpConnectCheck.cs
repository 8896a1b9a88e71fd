using System.Net.Sockets;
using Appliance.Balancing;

namespace Appliance.Health;

/// <summary>
/// Plain <c>check</c>: the server passes if a TCP connection to its address (on its <c>port</c> option
/// when set) is established within the connect timeout (<c>L4OK</c>); a refusal or other socket error is
/// <c>L4CON</c> with the system's error text as info (e.g. "Connection refused", as HAProxy prints
/// strerror), and running out of time is <c>L4TOUT</c>. The connection is then closed with a reset
/// (SO_LINGER 0), as HAProxy closes its check connections, so a check every few seconds leaves no
/// TIME_WAIT sockets behind on the prober side.
/// </summary>
public sealed class TcpConnectCheck : IHealthCheck
{
    private readonly TimeProvider _time;

    public TcpConnectCheck(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    public async Task<CheckOutcome> RunAsync(ServerState server, CheckTimeouts timeouts, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var deadline = new CancellationTokenSource(timeouts.Connect, _time);
        var (socket, failure) = await CheckConnector.ConnectAsync(CheckEndpoint.For(server), deadline, stopping).ConfigureAwait(false);
        if (socket is null) return failure;
        using (socket)
        {
            socket.LingerState = new LingerOption(enable: true, seconds: 0);
            // A send-proxy server expects the header first, even from a check that only connects.
            byte[] proxyHeader = CheckProxyHeader.For(server);
            if (proxyHeader.Length > 0)
            {
                try
                {
                    socket.Send(proxyHeader, SocketFlags.None);
                }
                catch (SocketException)
                {
                    // The connect succeeded, which is all this check judges.
                }
            }
            return new CheckOutcome(CheckStatus.L4Ok);
        }
    }
}
