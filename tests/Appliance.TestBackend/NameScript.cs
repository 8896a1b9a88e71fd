using System.Net.Sockets;
using System.Text;

namespace Appliance.TestBackend;

/// <summary><c>name</c> mode: announce the name, then hold the connection open until the peer closes.</summary>
internal static class NameScript
{
    public static async Task ServeAsync(Socket connection, string name, CancellationToken cancel)
    {
        await connection.SendAllAsync(Encoding.UTF8.GetBytes(name + "\n"), cancel);
        // Holding the connection is the point: leastconn tests count what stays open.
        await connection.DiscardUntilEndAsync(cancel);
        connection.Shutdown(SocketShutdown.Send);
    }
}
