using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Appliance.Tests.Rules;

/// <summary>
/// A loopback HTTP server on an ephemeral port that answers each connection's request with the
/// request head it received as the body (plus a <c>Server</c> field for response rules to act on),
/// then closes: tests read exactly what the proxy forwarded.
/// </summary>
internal sealed class HeadEchoServer : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();

    public HeadEchoServer()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _ = Task.Run(AcceptAll);
    }

    public int Port { get; }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
    }

    private async Task AcceptAll()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        await Serve(client, _stop.Token);
                    }
                    catch (Exception e) when (e is SocketException or OperationCanceledException)
                    {
                    }
                }
            });
        }
    }

    private static async Task Serve(Socket socket, CancellationToken token)
    {
        var head = new MemoryStream();
        var buffer = new byte[4096];
        while (!Encoding.ASCII.GetString(head.ToArray()).Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int n = await socket.ReceiveAsync(buffer, token);
            if (n == 0) return;
            head.Write(buffer, 0, n);
        }
        byte[] body = head.ToArray();
        byte[] answer = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nServer: test\r\nContent-Length: {body.Length}\r\n\r\n");
        await socket.SendAsync(answer.Concat(body).ToArray(), token);
        socket.Shutdown(SocketShutdown.Send);
    }
}
