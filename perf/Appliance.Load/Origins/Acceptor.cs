using System.Net;
using System.Net.Sockets;

namespace Appliance.Load.Origins;

/// <summary>The origins' listening side: a loopback listener and its accept loop.</summary>
internal static class Acceptor
{
    /// <summary>A listener on a free loopback port.</summary>
    public static Socket Listen(int backlog)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen(backlog);
        return socket;
    }

    /// <summary>Hands every accepted connection to <paramref name="serve"/> until the listener closes or <paramref name="stop"/> fires.</summary>
    public static async Task Loop(Socket listener, Func<Socket, Task> serve, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await listener.AcceptAsync(stop);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }
            connection.NoDelay = true;
            _ = serve(connection);
        }
    }
}
