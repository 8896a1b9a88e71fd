using System.Net;
using System.Net.Sockets;

namespace Appliance.Health;

/// <summary>
/// The connect step every check kind starts with: a socket to the check endpoint within a deadline,
/// judged as HAProxy does — a refusal or other socket error is <c>L4CON</c> (with the system's error
/// text), running out of time <c>L4TOUT</c>, no socket at all <c>SOCKERR</c>.
/// </summary>
internal static class CheckConnector
{
    /// <summary>
    /// Connects before <paramref name="deadline"/> (or until <paramref name="stopping"/>). Returns the
    /// connected socket, which the caller owns, or null with the failed outcome (the socket is closed).
    /// Cancellation by <paramref name="stopping"/> propagates as an exception, as for any check.
    /// </summary>
    public static async Task<(Socket? Socket, CheckOutcome Failure)> ConnectAsync(
        IPEndPoint endpoint, CancellationTokenSource deadline, CancellationToken stopping)
    {
        Socket socket;
        try
        {
            socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        }
        catch (SocketException e)
        {
            return (null, new CheckOutcome(CheckStatus.SocketError, e.Message));
        }

        using var connecting = CancellationTokenSource.CreateLinkedTokenSource(stopping, deadline.Token);
        CheckOutcome failure;
        try
        {
            await socket.ConnectAsync(endpoint, connecting.Token).ConfigureAwait(false);
            return (socket, default);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            failure = new CheckOutcome(CheckStatus.L4Timeout);
        }
        catch (SocketException) when (deadline.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            // Cancellation closed the socket under the pending connect.
            failure = new CheckOutcome(CheckStatus.L4Timeout);
        }
        catch (SocketException e) when (!stopping.IsCancellationRequested)
        {
            failure = new CheckOutcome(CheckStatus.L4Connection, e.Message);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        socket.Dispose();
        return (null, failure);
    }
}
