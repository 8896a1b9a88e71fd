using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using HdrHistogram;

namespace CompareRunner;

/// <summary>Latency at a fixed request rate (what wrk2 measures; wrk2 is not packaged by Debian).</summary>
internal sealed record LatencyResult(long Requests, long Errors, double Seconds, double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs);

/// <summary>
/// An open-loop client: <c>connections</c> keep-alive connections, each on its own thread, together
/// sending <c>rate</c> requests per second on a fixed schedule. Latency is measured from when a request
/// was <em>due</em>, not when it was sent, so a stall shows up in the percentiles instead of silently
/// lowering the rate (coordinated omission, as wrk2 corrects it). Bounded: stops at the deadline and
/// after rate × seconds requests.
/// </summary>
internal static class ConstantRateClient
{
    public static LatencyResult Run(IPEndPoint endpoint, string path, int rate, int connections, int seconds)
    {
        byte[] request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {endpoint}\r\n\r\n");
        long frequency = Stopwatch.Frequency;
        long interval = frequency * connections / rate;                 // per connection
        long start = Stopwatch.GetTimestamp() + frequency / 5;           // 200 ms to connect everyone
        long end = start + frequency * seconds;
        var histograms = new LongHistogram[connections];
        long errors = 0;
        var threads = new Thread[connections];
        for (int c = 0; c < connections; c++)
        {
            int id = c;
            histograms[id] = new LongHistogram(60_000_000, 3); // µs, up to 60 s
            threads[id] = new Thread(() =>
            {
                long e = Connection(endpoint, request, start + interval * id / connections, interval, end, histograms[id]);
                Interlocked.Add(ref errors, e);
            }) { IsBackground = true, Name = $"rate-{id}" };
            threads[id].Start();
        }
        foreach (Thread t in threads) t.Join();
        var all = new LongHistogram(60_000_000, 3);
        foreach (var h in histograms) all.Add(h);
        static double Ms(long us) => us / 1000.0;
        return new LatencyResult(all.TotalCount, errors, seconds,
            Ms(all.GetValueAtPercentile(50)), Ms(all.GetValueAtPercentile(90)), Ms(all.GetValueAtPercentile(99)),
            Ms(all.GetValueAtPercentile(99.9)), Ms(all.GetMaxValue()));
    }

    private static long Connection(IPEndPoint endpoint, byte[] request, long first, long interval, long end, LongHistogram histogram)
    {
        Pacer.UseFineTimerSlack();
        var buffer = new byte[64 * 1024];
        long errors = 0;
        Socket? socket = null;
        try
        {
            // Connect before the schedule starts, so the first requests do not pay the handshake.
            try
            {
                socket = Connect(endpoint);
            }
            catch (SocketException)
            {
                errors++;
            }
            for (long due = first; due < end; due += interval)
            {
                Pacer.WaitUntil(due);
                try
                {
                    socket ??= Connect(endpoint);
                    socket.Send(request);
                    if (!ReadResponse(socket, buffer)) throw new IOException("bad or incomplete response");
                    long micros = (Stopwatch.GetTimestamp() - due) * 1_000_000 / Stopwatch.Frequency;
                    histogram.RecordValue(Math.Clamp(micros, 1, 60_000_000));
                }
                catch (Exception ex) when (ex is SocketException or IOException)
                {
                    errors++;
                    socket?.Dispose();
                    socket = null;
                }
            }
        }
        finally
        {
            socket?.Dispose();
        }
        return errors;
    }

    private static Socket Connect(IPEndPoint endpoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = 5000, SendTimeout = 5000 };
        socket.Connect(endpoint);
        return socket;
    }

    /// <summary>Reads one response with a Content-Length body; true when its status is 200.</summary>
    private static bool ReadResponse(Socket socket, byte[] buffer)
    {
        int headLength = HttpWire.ReadHead(socket, buffer, out int filled);
        if (headLength <= 0) return false;
        ReadOnlySpan<byte> head = buffer.AsSpan(0, headLength);
        bool ok = HttpWire.Status(head) == 200;
        long length = HttpWire.ContentLength(head);
        if (length < 0) return false;
        long remaining = headLength + length - filled;
        while (remaining > 0)
        {
            int n = socket.Receive(buffer, 0, (int)Math.Min(buffer.Length, remaining), SocketFlags.None);
            if (n == 0) return false;
            remaining -= n;
        }
        return ok && remaining == 0;
    }
}
