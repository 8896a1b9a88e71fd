using System.Net;
using System.Net.Sockets;
using System.Text;
using Appliance.Config.Model;
using Appliance.Logging;

namespace Appliance.Metrics;

/// <summary>
/// The <c>prometheus-listener</c> of <c>global</c>: a TCP listener opened by the worker itself (with
/// SO_REUSEPORT, so the next generation binds beside it during a reload), accepting on a thread of its
/// own and serving each client asynchronously — a scrape never runs on a shard. It answers <c>GET</c>/<c>HEAD /metrics[?scope=…]</c> with the
/// exposition, anything else with 404/405, one request per connection.
/// </summary>
internal sealed class PrometheusListener : IDisposable
{
    /// <summary>A scraper gets this long to send its request head and receive its answer.</summary>
    private const int RequestTimeoutMs = 5000;

    /// <summary>Request heads larger than this are refused; a scrape's head is a few hundred bytes.</summary>
    private const int MaxHeadBytes = 8192;

    private readonly Socket _socket;
    private readonly MetricsEndpoint _endpoint;
    private readonly IEventLog _log;
    private readonly Thread _acceptor;
    private volatile bool _stopped;

    private PrometheusListener(Socket socket, MetricsEndpoint endpoint, IEventLog log)
    {
        _socket = socket;
        _endpoint = endpoint;
        _log = log;
        _acceptor = new Thread(AcceptLoop) { Name = "prometheus-listener", IsBackground = true };
    }

    /// <summary>The bound address (the real port when 0 was asked for).</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Binds and starts serving; null with a located error when the address cannot be bound.</summary>
    public static PrometheusListener? Start(PrometheusListenerConfig config, MetricsEndpoint endpoint, IEventLog log, out string? error)
    {
        error = null;
        var socket = new Socket(config.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            // SO_REUSEPORT: the next worker generation binds the same address before this one stops.
            socket.SetRawSocketOption(1 /* SOL_SOCKET */, 15 /* SO_REUSEPORT */, BitConverter.GetBytes(1));
            socket.Bind(config.EndPoint);
            socket.Listen(64);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            error = $"{config.Location}: keyword 'prometheus-listener': cannot listen on {config.EndPoint}: {e.Message}";
            return null;
        }
        var listener = new PrometheusListener(socket, endpoint, log);
        listener._acceptor.Start();
        return listener;
    }

    private void AcceptLoop()
    {
        while (!_stopped)
        {
            Socket client;
            try
            {
                client = _socket.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (!_stopped) _log.Warning($"prometheus-listener: accept failed: {e.Message}");
                return;
            }
            // Served asynchronously: a client that is slow to send its head holds a socket, not a
            // thread (blocking reads parked one pool thread per idle connection, starving the pool).
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        using (var timeout = new CancellationTokenSource(RequestTimeoutMs))
        {
            try
            {
                byte[]? request = await ReadHeadAsync(client, timeout.Token).ConfigureAwait(false);
                if (request is null) return;
                byte[] response = Respond(request, out byte[]? query, out bool headOnly);
                if (query is not null)
                {
                    var rendered = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
                    response = _endpoint.TryRespondLater(query, headOnly, rendered.SetResult)
                        ? await rendered.Task.WaitAsync(timeout.Token).ConfigureAwait(false)
                        : MetricsEndpoint.Busy.ToArray();
                }
                for (int sent = 0; sent < response.Length;)
                {
                    sent += await client.SendAsync(response.AsMemory(sent), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                }
                client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The scraper went away or was too slow: nothing to answer.
            }
        }
    }

    /// <summary>Reads up to the blank line ending the request head; null when the client stops or sends too much.</summary>
    private static async Task<byte[]?> ReadHeadAsync(Socket client, CancellationToken cancellation)
    {
        var head = new byte[MaxHeadBytes];
        int length = 0;
        while (length < head.Length)
        {
            int n = await client.ReceiveAsync(head.AsMemory(length), SocketFlags.None, cancellation).ConfigureAwait(false);
            if (n <= 0) return null;
            length += n;
            int end = head.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end < 0) end = head.AsSpan(0, length).IndexOf("\n\n"u8);
            if (end >= 0) return head[..end];
        }
        return null;
    }

    /// <summary>
    /// The answer to one request head (request line: METHOD SP TARGET SP VERSION). For a scrape it is
    /// empty and <paramref name="query"/> is set: the endpoint renders the exposition (bounded, on the pool).
    /// </summary>
    private static byte[] Respond(ReadOnlySpan<byte> head, out byte[]? query, out bool headOnly)
    {
        query = null;
        headOnly = false;
        int lineEnd = head.IndexOfAny((byte)'\r', (byte)'\n');
        ReadOnlySpan<byte> line = lineEnd < 0 ? head : head[..lineEnd];
        int space = line.IndexOf((byte)' ');
        if (space <= 0) return Simple(400, "Bad Request");
        ReadOnlySpan<byte> method = line[..space];
        ReadOnlySpan<byte> rest = line[(space + 1)..];
        int targetEnd = rest.IndexOf((byte)' ');
        ReadOnlySpan<byte> target = targetEnd < 0 ? rest : rest[..targetEnd];
        int question = target.IndexOf((byte)'?');
        ReadOnlySpan<byte> path = question < 0 ? target : target[..question];
        if (!path.SequenceEqual("/metrics"u8)) return Simple(404, "Not Found");
        headOnly = method.SequenceEqual("HEAD"u8);
        if (!headOnly && !method.SequenceEqual("GET"u8)) return Simple(405, "Method Not Allowed");
        query = question < 0 ? [] : target[(question + 1)..].ToArray();
        return [];
    }

    private static byte[] Simple(int status, string reason)
    {
        string body = reason + "\n";
        return Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}");
    }

    public void Dispose()
    {
        if (_stopped) return;
        _stopped = true;
        _socket.Dispose();
    }
}
