using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CompareRunner;

/// <summary>
/// Memory per idle client connection: reads the proxy's RSS (all its processes, /proc VmRSS), opens
/// <c>count</c> keep-alive connections through it, one request answered on each, holds them idle for a
/// second, reads the RSS again. KiB per connection = (RSS with them − RSS before) / count. Whatever the
/// proxy keeps per connection (its own state, buffers, pooled server connections) is in the figure.
/// </summary>
internal static class IdleConnections
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static (Dictionary<string, double> Metrics, long Requests, long Errors) Measure(Target target, int count)
    {
        ManagedProcess process = target.Process ?? throw new InvalidOperationException("the direct path has no proxy process");
        byte[] request = Encoding.ASCII.GetBytes($"GET /small HTTP/1.1\r\nHost: {target.Http}\r\n\r\n");
        var buffer = new byte[16 * 1024];
        var sockets = new List<Socket>(count);
        long errors = 0;
        long before = process.RssKib();
        try
        {
            for (int i = 0; i < count; i++)
            {
                Socket? socket = OpenAndAsk(target.Http, request, buffer);
                if (socket is null) errors++;
                else sockets.Add(socket);
                // Hundreds of failures mean a limit was hit (descriptors, maxconn): stop instead of timing out 10,000 times.
                if (errors > 100) throw new InvalidOperationException($"{errors} of {i + 1} idle connections failed; see the proxy's log");
            }
            Thread.Sleep(1000); // idle: let timers and deferred frees run
            long loaded = process.RssKib();
            double perConnection = (loaded - before) / (double)sockets.Count;
            return (new Dictionary<string, double>
            {
                ["kib"] = perConnection, ["rssIdleMiB"] = before / 1024.0, ["rssLoadedMiB"] = loaded / 1024.0, ["connections"] = sockets.Count,
            }, sockets.Count, errors);
        }
        finally
        {
            foreach (Socket s in sockets) s.Dispose();
        }
    }

    /// <summary>A connection with one request answered (200, whole body read), or null.</summary>
    private static Socket? OpenAndAsk(IPEndPoint endpoint, byte[] request, byte[] buffer)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            ReceiveTimeout = (int)Timeout.TotalMilliseconds, SendTimeout = (int)Timeout.TotalMilliseconds,
        };
        try
        {
            if (!socket.ConnectAsync(endpoint).Wait(Timeout)) throw new TimeoutException();
            socket.Send(request);
            int headLength = HttpWire.ReadHead(socket, buffer, out int filled);
            if (headLength <= 0 || HttpWire.Status(buffer.AsSpan(0, headLength)) != 200) throw new IOException("bad answer");
            long remaining = headLength + HttpWire.ContentLength(buffer.AsSpan(0, headLength)) - filled;
            while (remaining > 0)
            {
                int n = socket.Receive(buffer, 0, (int)Math.Min(buffer.Length, remaining), SocketFlags.None);
                if (n == 0) throw new IOException("closed");
                remaining -= n;
            }
            return socket;
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or AggregateException)
        {
            socket.Dispose();
            return null;
        }
    }
}
