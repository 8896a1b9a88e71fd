using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Appliance.Tests.Health;

/// <summary>
/// A loopback HTTP responder on an ephemeral port for health check tests: reads each request head (and a
/// Content-Length body), records it, then writes whatever <see cref="Respond"/> returns for it and closes —
/// or, when that is null, keeps the connection open without answering. The answer can be changed while
/// the server runs.
/// </summary>
internal sealed class ScriptedHttpServer : IDisposable
{
    private readonly Socket _listener;
    private readonly ConcurrentBag<Socket> _held = [];
    private volatile Func<string, byte[]?> _respond;

    public ScriptedHttpServer(Func<string, byte[]?> respond)
    {
        _respond = respond;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _ = AcceptLoopAsync();
    }

    /// <summary>A server that always sends <paramref name="response"/> (CRLF line ends expected in it).</summary>
    public ScriptedHttpServer(string response) : this(_ => Encoding.Latin1.GetBytes(response))
    {
    }

    public int Port { get; }

    /// <summary>Every request received, head and body, as text.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public Func<string, byte[]?> Respond
    {
        get => _respond;
        set => _respond = value;
    }

    public void Answer(string response) => Respond = _ => Encoding.Latin1.GetBytes(response);

    public void Dispose()
    {
        _listener.Dispose();
        foreach (var socket in _held) socket.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var connection = await _listener.AcceptAsync();
                _ = ServeAsync(connection);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // listener closed
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        try
        {
            string request = await ReadRequestAsync(connection);
            Requests.Enqueue(request);
            byte[]? response = _respond(request);
            if (response is null)
            {
                _held.Add(connection);
                return;
            }
            await connection.SendAsync(response, SocketFlags.None);
            connection.Shutdown(SocketShutdown.Send);
            // Let the check read and close first; the check resets, which ends this read.
            var drain = new byte[256];
            while (await connection.ReceiveAsync(drain, SocketFlags.None) > 0)
            {
            }
            connection.Dispose();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            connection.Dispose();
        }
    }

    private static async Task<string> ReadRequestAsync(Socket connection)
    {
        var received = new List<byte>();
        var buffer = new byte[1024];
        int headEnd = -1;
        while (headEnd < 0)
        {
            int n = await connection.ReceiveAsync(buffer, SocketFlags.None);
            if (n == 0) break;
            received.AddRange(buffer.AsSpan(0, n));
            headEnd = IndexOfHeadEnd(received);
        }
        string text = Encoding.Latin1.GetString(received.ToArray());
        if (headEnd < 0) return text;
        const string LengthField = "\r\nContent-Length: ";
        int field = text.IndexOf(LengthField, StringComparison.OrdinalIgnoreCase);
        if (field < 0 || field > headEnd) return text;
        int valueStart = field + LengthField.Length;
        int length = int.Parse(text[valueStart..text.IndexOf('\r', valueStart)], System.Globalization.CultureInfo.InvariantCulture);
        while (received.Count < headEnd + 4 + length)
        {
            int n = await connection.ReceiveAsync(buffer, SocketFlags.None);
            if (n == 0) break;
            received.AddRange(buffer.AsSpan(0, n));
        }
        return Encoding.Latin1.GetString(received.ToArray());
    }

    private static int IndexOfHeadEnd(List<byte> bytes)
    {
        for (int i = 3; i < bytes.Count; i++)
        {
            if (bytes[i - 3] == '\r' && bytes[i - 2] == '\n' && bytes[i - 1] == '\r' && bytes[i] == '\n') return i - 3;
        }
        return -1;
    }
}
