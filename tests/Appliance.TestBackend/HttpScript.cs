using System.Net.Sockets;
using System.Text;

namespace Appliance.TestBackend;

/// <summary>
/// <c>http</c> mode: a minimal HTTP/1.1 server. Every request (pipelined or kept alive) gets
/// <c>200</c> with body = the backend name and header <c>X-Backend: NAME</c>. Content-Length request bodies
/// are read and dropped; chunked request bodies are not supported (answered 501, then close) because no test
/// sends them. Connection: close and HTTP/1.0 without keep-alive close after the answer.
/// </summary>
internal static class HttpScript
{
    // Request heads in tests are a few hundred bytes; 64 KiB is the usual proxy limit for a head.
    private const int HeadBufferBytes = 64 * 1024;

    public static async Task ServeAsync(Socket connection, string name, CancellationToken cancel)
    {
        byte[] keepAliveAnswer = Answer(name, close: false);
        byte[] closingAnswer = Answer(name, close: true);
        var buffer = new byte[HeadBufferBytes];
        int start = 0;
        int end = 0;

        while (true)
        {
            int headLength;
            while ((headLength = buffer.AsSpan(start, end - start).IndexOf("\r\n\r\n"u8)) < 0)
            {
                if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    await SendStatusAndCloseAsync(connection, "431 Request Header Fields Too Large", cancel);
                    return;
                }

                int received = await connection.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, cancel);
                if (received == 0)
                {
                    return;
                }

                end += received;
            }

            var head = Encoding.ASCII.GetString(buffer, start, headLength);
            start += headLength + 4;
            if (!TryReadHead(head, out long contentLength, out bool keepAlive, out bool chunked))
            {
                await SendStatusAndCloseAsync(connection, "400 Bad Request", cancel);
                return;
            }

            if (chunked)
            {
                await SendStatusAndCloseAsync(connection, "501 Not Implemented", cancel);
                return;
            }

            // Drop the body: first what is already buffered, then the rest straight from the socket.
            long buffered = Math.Min(contentLength, end - start);
            start += (int)buffered;
            for (long missing = contentLength - buffered; missing > 0;)
            {
                int received = await connection.ReceiveAsync(
                    buffer.AsMemory(0, (int)Math.Min(buffer.Length, missing)), SocketFlags.None, cancel);
                if (received == 0)
                {
                    return;
                }

                missing -= received;
                start = end = 0;
            }

            if (start == end)
            {
                start = end = 0;
            }

            await connection.SendAllAsync(keepAlive ? keepAliveAnswer : closingAnswer, cancel);
            if (!keepAlive)
            {
                connection.Shutdown(SocketShutdown.Send);
                await connection.DiscardUntilEndAsync(cancel);
                return;
            }
        }
    }

    private static bool TryReadHead(string head, out long contentLength, out bool keepAlive, out bool chunked)
    {
        contentLength = 0;
        chunked = false;
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        keepAlive = requestLine.Length == 3 && requestLine[2] == "HTTP/1.1";
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var line in lines.AsSpan(1))
        {
            int colon = line.IndexOf(':');
            if (colon <= 0)
            {
                return false;
            }

            var field = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (field.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!long.TryParse(value, out contentLength) || contentLength < 0)
                {
                    return false;
                }
            }
            else if (field.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                if (value.Contains("close", StringComparison.OrdinalIgnoreCase))
                {
                    keepAlive = false;
                }
                else if (value.Contains("keep-alive", StringComparison.OrdinalIgnoreCase))
                {
                    keepAlive = true;
                }
            }
            else if (field.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = true;
            }
        }

        return true;
    }

    private static byte[] Answer(string name, bool close)
    {
        var body = Encoding.UTF8.GetBytes(name);
        var head = "HTTP/1.1 200 OK\r\n" +
                   "Content-Type: text/plain\r\n" +
                   $"Content-Length: {body.Length}\r\n" +
                   $"X-Backend: {name}\r\n" +
                   (close ? "Connection: close\r\n" : "") +
                   "\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. body];
    }

    private static async Task SendStatusAndCloseAsync(Socket connection, string status, CancellationToken cancel)
    {
        var answer = $"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        await connection.SendAllAsync(Encoding.ASCII.GetBytes(answer), cancel);
        connection.Shutdown(SocketShutdown.Send);
    }
}
