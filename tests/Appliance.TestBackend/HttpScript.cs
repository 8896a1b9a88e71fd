using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Appliance.Testing;

namespace Appliance.TestBackend;

/// <summary>
/// <c>http</c> mode: a scriptable HTTP/1.1 origin. Keep-alive and pipelining (requests are answered one at a
/// time, in order); Content-Length and chunked request bodies; <c>Expect: 100-continue</c> answered with
/// <c>100 Continue</c> before the body is read. What it answers is chosen by the path (<see cref="OriginRouteKind"/>);
/// any path without a meaning answers 200 with body = the backend name, as this mode always did. Every event is
/// written to the <c>--record</c> journal (<see cref="OriginRecorder"/>). One instance serves one connection.
/// </summary>
internal sealed class HttpScript
{
    // How long a closing origin waits for the peer's FIN after its own, so unread bytes never turn it into a RST.
    private static readonly TimeSpan LingerForPeerClose = TimeSpan.FromSeconds(5);

    // /chunked/N cycles through these chunk sizes: tiny, odd, buffer-sized and larger than one proxy buffer.
    private static readonly int[] ChunkSizes = [1, 15, 512, 8192, 65536, 262144, 131072, 3];

    private readonly ConnectionReader _reader;
    private readonly long _connection;
    private readonly string _name;
    private readonly OriginRecorder _recorder;
    private readonly OriginCounters _counters;
    private readonly OriginResponse _response;
    private int _seq;
    private int _completed;
    private long _requestStart;
    private bool _requestPending;

    private HttpScript(Socket socket, long connection, string name, OriginRecorder recorder, OriginCounters counters)
    {
        _reader = new ConnectionReader(socket);
        _connection = connection;
        _name = name;
        _recorder = recorder;
        _counters = counters;
        _response = new OriginResponse(name, connection);
    }

    private Socket Socket => _reader.Socket;

    public static async Task ServeAsync(
        Socket socket, long connection, string name, OriginRecorder recorder, OriginCounters counters, CancellationToken cancel)
    {
        var script = new HttpScript(socket, connection, name, recorder, counters);
        recorder.Accepted(connection);
        string how;
        try
        {
            how = await script.ServeRequestsAsync(cancel);
        }
        catch (SocketException)
        {
            // ECONNRESET on receive, EPIPE on send: the peer aborted.
            how = "reset";
        }
        catch (OperationCanceledException)
        {
            how = "stopped";
        }

        if (script._requestPending)
        {
            script.RecordIncomplete($"connection ended ({how})");
        }

        recorder.Closed(connection, how, script._reader.BytesReceived, script._completed);
    }

    private async Task<string> ServeRequestsAsync(CancellationToken cancel)
    {
        while (true)
        {
            _requestStart = _reader.BytesReceived - _reader.BufferedCount;
            int seq = _seq + 1;
            var (status, headBytes, _) = await _reader.ReadHeadAsync(
                bytes =>
                {
                    _seq = seq;
                    _requestPending = true;
                    _recorder.Data(_connection, seq, bytes);
                },
                cancel);
            if (status == HeadReadStatus.ClosedBetweenRequests)
            {
                return "eof";
            }

            _seq = seq;
            _requestPending = true;
            switch (status)
            {
                case HeadReadStatus.ClosedInHead:
                    RecordIncomplete("eof in head");
                    return "eof";
                case HeadReadStatus.TooLarge:
                    RecordIncomplete($"head larger than {ConnectionReader.MaxHeadBytes} bytes");
                    await RefuseAsync(431, "Request Header Fields Too Large", "/", "head too large", cancel);
                    return "local";
            }

            if (OriginRequestHead.Parse(headBytes, out var error) is not { } head)
            {
                RecordIncomplete($"bad head: {error}");
                await RefuseAsync(400, "Bad Request", "/", error!, cancel);
                return "local";
            }

            if (await ServeRequestAsync(head, cancel) is { } how)
            {
                return how;
            }
        }
    }

    /// <summary>Answers one parsed request; returns null to read the next one, or how the connection ended.</summary>
    private async Task<string?> ServeRequestAsync(OriginRequestHead head, CancellationToken cancel)
    {
        var route = OriginRoute.Of(head.Path);
        bool recorded = route.Kind != OriginRouteKind.Stats;
        if (recorded)
        {
            _recorder.Head(_connection, _seq, head);
        }

        bool continueSent = false;
        if (head.ExpectsContinue && head.Framing != RequestFraming.None
            && !(head.Framing == RequestFraming.Length && head.ContentLength == 0))
        {
            await Socket.SendAllAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), cancel);
            continueSent = true;
        }

        bool keepAlive = head.KeepAlive && route.Kind is not (OriginRouteKind.Close or OriginRouteKind.Garbage or OriginRouteKind.Drop);
        bool echoStarted = false;
        EchoSink? echo = null;
        BodyReadResult body;
        if (route.Kind == OriginRouteKind.Echo)
        {
            var framing = head.Framing == RequestFraming.Chunked
                ? "Transfer-Encoding: chunked"
                : $"Content-Length: {(head.Framing == RequestFraming.Length ? head.ContentLength : 0)}";
            await Socket.SendAllAsync(
                _response.Head(200, "OK", head.Target, ["Content-Type: application/octet-stream", framing, .. KeepAliveField(head)], !keepAlive),
                cancel);
            echoStarted = true;
            echo = head.IsHeadMethod ? null : new EchoSink(Socket);
            body = await RequestBodyReader.ReadAsync(_reader, head, echo, cancel);
        }
        else
        {
            body = await RequestBodyReader.ReadAsync(_reader, head, null, cancel);
        }

        if (!body.IsComplete)
        {
            RecordIncomplete(body.Error!);
            if (body.Error!.StartsWith("eof", StringComparison.Ordinal))
            {
                return "eof";
            }

            if (!echoStarted)
            {
                await RefuseAsync(400, "Bad Request", head.Target, body.Error, cancel);
            }

            return "local";
        }

        _requestPending = false;
        if (recorded)
        {
            _recorder.Request(_connection, _seq, head, body, continueSent);
            _counters.RequestCompleted();
            _completed++;
        }

        if (echo is not null)
        {
            // Recorded first, completed second: see EchoSink.
            await echo.FlushAsync(cancel);
            if (head.Framing == RequestFraming.Chunked)
            {
                await Socket.SendAllAsync("0\r\n\r\n"u8.ToArray(), cancel);
            }
        }

        if (await AnswerAsync(route, head, body, keepAlive, cancel) is { } how)
        {
            return how;
        }

        if (!keepAlive)
        {
            await CloseGracefullyAsync(cancel);
            return "local";
        }

        return null;
    }

    /// <summary>Sends the route's answer (except <c>/echo</c>, already streamed); returns non-null if the connection is over.</summary>
    private async Task<string?> AnswerAsync(
        OriginRoute route, OriginRequestHead head, BodyReadResult body, bool keepAlive, CancellationToken cancel)
    {
        bool close = !keepAlive;
        bool headOnly = head.IsHeadMethod;
        var target = head.Target;
        switch (route.Kind)
        {
            case OriginRouteKind.Echo:
                return null;
            case OriginRouteKind.Name:
            case OriginRouteKind.Close:
                await SendNameAsync(head, close, cancel);
                return null;
            case OriginRouteKind.Slow:
                await Task.Delay(TimeSpan.FromMilliseconds(route.Argument), cancel);
                await SendNameAsync(head, close, cancel);
                return null;
            case OriginRouteKind.Sha:
                await SendTextAsync(head, $"{body.Length} {body.Sha256Hex}", close, cancel);
                return null;
            case OriginRouteKind.Headers:
                await SendTextAsync(head, head.HeaderBlock, close, cancel);
                return null;
            case OriginRouteKind.Stats:
                await SendTextAsync(head, $"{{\"connections\":{_counters.Connections},\"requests\":{_counters.Requests}}}", close, cancel,
                    "application/json");
                return null;
            case OriginRouteKind.Bytes:
                await Socket.SendAllAsync(_response.Head(200, "OK", target,
                    ["Content-Type: application/octet-stream", $"Content-Length: {route.Argument}", .. KeepAliveField(head)], close), cancel);
                if (!headOnly)
                {
                    await Socket.SendDeterministicStreamAsync(route.Argument, cancel);
                }

                return null;
            case OriginRouteKind.Chunked:
                await Socket.SendAllAsync(_response.Head(200, "OK", target,
                    ["Content-Type: application/octet-stream", "Transfer-Encoding: chunked", .. KeepAliveField(head)], close), cancel);
                if (!headOnly)
                {
                    await SendChunkedStreamAsync(route.Argument, cancel);
                }

                return null;
            case OriginRouteKind.Status:
                int status = (int)route.Argument;
                if (status is 204 or 304)
                {
                    await Socket.SendAllAsync(_response.Head(status, OriginResponse.ReasonOf(status), target, KeepAliveField(head), close), cancel);
                }
                else
                {
                    await Socket.SendAllAsync(_response.WithBody(status, OriginResponse.ReasonOf(status), target, "text/plain",
                        Encoding.ASCII.GetBytes($"status {status} from {_name}"), close, headOnly, KeepAliveField(head)), cancel);
                }

                return null;
            case OriginRouteKind.Garbage:
                await Socket.SendAllAsync(Encoding.ASCII.GetBytes($"NOT-HTTP garbage from {_name}\r\n\r\n"), cancel);
                await CloseGracefullyAsync(cancel);
                return "local";
            case OriginRouteKind.Hang:
                await DiscardUntilEndAsync(cancel);
                return "eof";
            case OriginRouteKind.Drop:
                // Closing with the request fully read sends a FIN, not a RST: "closed without answering".
                return "local";
            case OriginRouteKind.WebSocket:
                if (!head.IsWebSocketUpgrade)
                {
                    await Socket.SendAllAsync(_response.WithBody(400, "Bad Request", target, "text/plain",
                        "expected Upgrade: websocket and Connection: upgrade"u8.ToArray(), close, headOnly), cancel);
                    return null;
                }

                await TunnelAsync(head, cancel);
                return "eof";
            default:
                await Socket.SendAllAsync(_response.WithBody(400, "Bad Request", target, "text/plain",
                    "numbered path without a valid number"u8.ToArray(), close, headOnly), cancel);
                return null;
        }
    }

    private async Task TunnelAsync(OriginRequestHead head, CancellationToken cancel)
    {
        var fields = new List<string> { "Upgrade: websocket", "Connection: Upgrade" };
        if (head.Field("Sec-WebSocket-Key") is { } key)
        {
            fields.Add($"Sec-WebSocket-Accept: {WebSocketHandshake.AcceptFor(key)}");
        }

        await Socket.SendAllAsync(_response.Head(101, "Switching Protocols", head.Target, fields, close: false), cancel);
        // Bytes the client sent right behind the upgrade request belong to the tunnel.
        if (_reader.TakeBuffered() is { Length: > 0 } early)
        {
            await Socket.SendAllAsync(early, cancel);
        }

        var buffer = new byte[SocketTransfers.BulkBufferBytes];
        int received;
        while ((received = await _reader.ReadAsync(buffer, cancel)) > 0)
        {
            await Socket.SendAllAsync(buffer.AsMemory(0, received), cancel);
        }

        Socket.Shutdown(SocketShutdown.Send);
    }

    private async Task SendChunkedStreamAsync(long count, CancellationToken cancel)
    {
        var stream = new DeterministicByteStream();
        var buffer = new byte[ChunkSizes.Max()];
        int next = 0;
        for (long remaining = count; remaining > 0;)
        {
            int size = (int)Math.Min(ChunkSizes[next++ % ChunkSizes.Length], remaining);
            stream.Fill(buffer.AsSpan(0, size));
            await Socket.SendAllAsync(Encoding.ASCII.GetBytes(size.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), cancel);
            await Socket.SendAllAsync(buffer.AsMemory(0, size), cancel);
            await Socket.SendAllAsync("\r\n"u8.ToArray(), cancel);
            remaining -= size;
        }

        await Socket.SendAllAsync("0\r\n\r\n"u8.ToArray(), cancel);
    }

    private Task SendNameAsync(OriginRequestHead head, bool close, CancellationToken cancel) =>
        SendTextAsync(head, _name, close, cancel);

    private async Task SendTextAsync(
        OriginRequestHead head, string text, bool close, CancellationToken cancel, string contentType = "text/plain")
    {
        var response = _response.WithBody(200, "OK", head.Target, contentType, Encoding.Latin1.GetBytes(text), close,
            head.IsHeadMethod, KeepAliveField(head));
        await Socket.SendAllAsync(response, cancel);
    }

    /// <summary>An HTTP/1.0 client that asked for keep-alive must be told it got it.</summary>
    private static IEnumerable<string> KeepAliveField(OriginRequestHead head) =>
        head.Version == "HTTP/1.0" && head.KeepAlive ? ["Connection: keep-alive"] : [];

    private async Task RefuseAsync(int status, string reason, string target, string detail, CancellationToken cancel)
    {
        await Socket.SendAllAsync(_response.WithBody(status, reason, target, "text/plain",
            Encoding.Latin1.GetBytes($"origin {_name}: {detail}"), close: true, headRequest: false), cancel);
        await CloseGracefullyAsync(cancel);
    }

    /// <summary>FIN, then wait (bounded) for the peer's FIN, dropping what it still sends.</summary>
    private async Task CloseGracefullyAsync(CancellationToken cancel)
    {
        Socket.Shutdown(SocketShutdown.Send);
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        linger.CancelAfter(LingerForPeerClose);
        try
        {
            await DiscardUntilEndAsync(linger.Token);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            // The peer keeps its side open; closing now is all we can do.
        }
    }

    private async Task DiscardUntilEndAsync(CancellationToken cancel)
    {
        var sink = new byte[16 * 1024];
        while (await _reader.ReadAsync(sink, cancel) > 0)
        {
        }
    }

    private void RecordIncomplete(string reason)
    {
        _requestPending = false;
        _recorder.Incomplete(_connection, _seq, reason, _reader.BytesReceived - _requestStart);
    }
}
