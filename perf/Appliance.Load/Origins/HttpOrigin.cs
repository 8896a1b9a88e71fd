using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Appliance.Load.Origins;

/// <summary>
/// In-process HTTP/1.1 origins: any number of loopback listeners, each with an identity it puts in
/// <c>X-Backend</c> and in its small body. Keep-alive and pipelining; <c>Connection: close</c> honoured.
/// GET <see cref="OriginBodies.BulkPath"/> answers 1 MiB, anything else 100 bytes. Request bodies are not
/// expected (the load client sends none). <see cref="Kill"/> makes one listener die like a killed process.
/// </summary>
internal sealed class HttpOrigin : IDisposable
{
    private const int ListenBacklog = 4096;
    private const int MaxHeadBytes = 16 * 1024;

    private readonly ConcurrentDictionary<string, Listener> _listeners = new();
    private readonly ConcurrentDictionary<string, IPEndPoint> _endpoints = new();
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>
    /// Where <paramref name="identity"/> listens: started on a free loopback port on first use, shared by
    /// the scenarios after that.
    /// </summary>
    public IPEndPoint Add(string identity)
    {
        if (_endpoints.TryGetValue(identity, out IPEndPoint? existing)) return existing;
        Socket socket = Acceptor.Listen(ListenBacklog);
        var listener = new Listener(identity, socket);
        if (!_listeners.TryAdd(identity, listener)) throw new ArgumentException($"origin '{identity}' exists");
        _ = Acceptor.Loop(socket, connection =>
        {
            listener.Connections[connection] = 0;
            return Serve(listener, connection);
        }, _stopping.Token);
        var endpoint = (IPEndPoint)socket.LocalEndPoint!;
        _endpoints[identity] = endpoint;
        return endpoint;
    }

    /// <summary>Requests answered by <paramref name="identity"/> so far.</summary>
    public long Answered(string identity) => _listeners.TryGetValue(identity, out var l) ? Interlocked.Read(ref l.Answered) : 0;

    /// <summary>
    /// Dies like a SIGKILLed process: the listener closes (new connections are refused) and every open
    /// connection is reset (RST, SO_LINGER 0), in-flight responses cut.
    /// </summary>
    public void Kill(string identity)
    {
        if (!_listeners.TryGetValue(identity, out var listener)) return;
        listener.Dead = true;
        listener.Socket.Dispose();
        foreach (Socket connection in listener.Connections.Keys)
        {
            try
            {
                connection.LingerState = new LingerOption(true, 0);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
            connection.Dispose();
        }
    }

    private async Task Serve(Listener listener, Socket connection)
    {
        var buffer = new byte[MaxHeadBytes];
        int filled = 0;
        try
        {
            while (!listener.Dead)
            {
                int end;
                while ((end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
                {
                    if (filled == buffer.Length) return;
                    int n = await connection.ReceiveAsync(buffer.AsMemory(filled), _stopping.Token);
                    if (n == 0) return;
                    filled += n;
                }
                int headLength = end + 4;
                bool close = WantsClose(buffer.AsSpan(0, headLength));
                bool bulk = buffer.AsSpan(0, headLength).IndexOf(" /bulk "u8) > 0;
                await connection.SendAsync(listener.Head(bulk, close), _stopping.Token);
                await connection.SendAsync(bulk ? OriginBodies.Bulk : listener.SmallBody, _stopping.Token);
                Interlocked.Increment(ref listener.Answered);
                if (close) return;
                buffer.AsSpan(headLength, filled - headLength).CopyTo(buffer);
                filled -= headLength;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            listener.Connections.TryRemove(connection, out _);
            connection.Dispose();
        }
    }

    private static bool WantsClose(ReadOnlySpan<byte> head)
    {
        ReadOnlySpan<byte> value = HttpWire.Field(head, "connection"u8);
        return head.IndexOf(" HTTP/1.0\r\n"u8) > 0
            ? !System.Text.Ascii.EqualsIgnoreCase(value, "keep-alive"u8)
            : System.Text.Ascii.EqualsIgnoreCase(value, "close"u8);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        foreach (Listener l in _listeners.Values)
        {
            l.Dead = true;
            l.Socket.Dispose();
            foreach (Socket c in l.Connections.Keys) c.Dispose();
        }
    }

    private sealed class Listener(string identity, Socket socket)
    {
        private readonly byte[][] _heads = [Head(identity, false, false), Head(identity, false, true), Head(identity, true, false), Head(identity, true, true)];

        public Socket Socket { get; } = socket;

        public byte[] SmallBody { get; } = OriginBodies.Small(identity);

        public ConcurrentDictionary<Socket, byte> Connections { get; } = new();

        public long Answered;

        public volatile bool Dead;

        public byte[] Head(bool bulk, bool close) => _heads[(bulk ? 2 : 0) + (close ? 1 : 0)];

        private static byte[] Head(string identity, bool bulk, bool close) => Encoding.ASCII.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n" +
            $"Content-Length: {(bulk ? OriginBodies.BulkBytes : OriginBodies.SmallBytes)}\r\nX-Backend: {identity}\r\n" +
            (close ? "Connection: close\r\n" : "") + "\r\n");
    }
}
