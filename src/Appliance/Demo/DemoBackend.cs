using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Appliance.Demo;

/// <summary>
/// A tiny HTTP/1.1 server for <c>appliance demo</c>: answers every request with its name so a newcomer
/// sees which instance served it, and prints one line per request. Not part of the data path
/// (plain .NET sockets on the thread pool are fine here).
/// </summary>
internal sealed class DemoBackend : IDisposable
{
    private readonly Socket _listener;
    private readonly TextWriter _console;
    private readonly CancellationTokenSource _stop = new();
    private int _served;

    private DemoBackend(string name, Socket listener, TextWriter console)
    {
        Name = name;
        _listener = listener;
        _console = console;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    public string Name { get; }

    public int Port { get; }

    /// <summary>Listens on 127.0.0.1:<paramref name="preferredPort"/>, or a free port if it is taken.</summary>
    public static DemoBackend Start(string name, int preferredPort, TextWriter console)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, preferredPort));
        }
        catch (SocketException)
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        }
        listener.Listen(128);
        var backend = new DemoBackend(name, listener, console);
        _ = backend.AcceptLoop();
        return backend;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Serve(client);
        }
    }

    private async Task Serve(Socket client)
    {
        using (client)
        {
            var buffer = new byte[8192];
            int length = 0;
            try
            {
                while (true)
                {
                    int end = IndexOfHeadEnd(buffer, length);
                    if (end < 0)
                    {
                        if (length == buffer.Length) return;
                        int n = await client.ReceiveAsync(buffer.AsMemory(length), _stop.Token);
                        if (n == 0) return;
                        length += n;
                        continue;
                    }
                    string head = Encoding.ASCII.GetString(buffer, 0, end);
                    string requestLine = head.Split("\r\n")[0];
                    bool close = head.Contains("Connection: close", StringComparison.OrdinalIgnoreCase)
                              || requestLine.EndsWith("HTTP/1.0", StringComparison.Ordinal);
                    int count = Interlocked.Increment(ref _served);
                    string body = $"Hello from {Name} (127.0.0.1:{Port}), request #{count} to this instance\n";
                    string response = $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\n"
                                    + $"X-Served-By: {Name}\r\n{(close ? "Connection: close\r\n" : "")}\r\n{body}";
                    await client.SendAsync(Encoding.ASCII.GetBytes(response), _stop.Token);
                    _console.WriteLine($"  [{Name}] served \"{requestLine}\"");
                    if (close) return;
                    // Requests in the demo have no body; drop the consumed head and keep the rest.
                    Buffer.BlockCopy(buffer, end + 4, buffer, 0, length - end - 4);
                    length -= end + 4;
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Client gone or demo stopping.
            }
        }
    }

    private static int IndexOfHeadEnd(byte[] buffer, int length) =>
        buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
}
