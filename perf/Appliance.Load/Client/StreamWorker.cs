using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Appliance.Testing;

namespace Appliance.Load.Client;

/// <summary>
/// Long TCP streams through an echo origin: each stream sends <c>bytes</c> of a seeded deterministic
/// stream (a sender thread), reads the echo back at the same time and compares every byte with the same
/// stream regenerated, then expects EOF after exactly that many bytes. Repeats until the deadline (at
/// least one stream), at most <see cref="MaxStreams"/>.
/// </summary>
internal sealed class StreamWorker(IPEndPoint target, long bytes, TimeSpan duration, TimeSpan timeout, int index, long start, WorkerStats stats)
{
    private const int MaxStreams = 100_000;
    private const int ChunkBytes = 64 * 1024;

    public void Run()
    {
        long frequency = Stopwatch.Frequency;
        long end = start + (long)(duration.TotalSeconds * frequency);
        Pacer.WaitUntil(start);
        for (int s = 0; s < MaxStreams; s++)
        {
            long began = Stopwatch.GetTimestamp();
            if (s > 0 && began >= end) break;
            ulong seed = (ulong)(index + 1) * 1_000_003UL + (ulong)s;
            if (OneStream(seed)) stats.Record((Stopwatch.GetTimestamp() - began) * 1_000_000 / frequency);
            else Thread.Sleep(10);
        }
    }

    private bool OneStream(ulong seed)
    {
        using Socket? socket = Connector.Connect(target, timeout, stats);
        if (socket is null) return false;
        var sender = new Thread(() => Send(socket, seed)) { IsBackground = true, Name = $"stream-send-{index}" };
        sender.Start();
        var expected = new DeterministicByteStream(seed);
        var received = new byte[ChunkBytes];
        var want = new byte[ChunkBytes];
        long total = 0;
        ErrorKind? problem = null;
        try
        {
            int n;
            while ((n = socket.Receive(received)) > 0)
            {
                if (total + n > bytes)
                {
                    problem = ErrorKind.BadBody;
                    break;
                }
                expected.Fill(want.AsSpan(0, n));
                if (!received.AsSpan(0, n).SequenceEqual(want.AsSpan(0, n)))
                {
                    problem = ErrorKind.BadBody;
                    break;
                }
                total += n;
                stats.VerifiedBytes += n;
            }
            if (problem is null && total < bytes) problem = ErrorKind.Truncated;
        }
        catch (SocketException e)
        {
            problem = Connector.Classify(e);
        }
        socket.Dispose(); // unblocks a sender stuck on a dead peer
        sender.Join(timeout);
        if (problem is { } kind)
        {
            stats.Error(kind);
            return false;
        }
        stats.Ok++;
        return true;
    }

    private void Send(Socket socket, ulong seed)
    {
        var source = new DeterministicByteStream(seed);
        var chunk = new byte[ChunkBytes];
        try
        {
            for (long sent = 0; sent < bytes;)
            {
                int n = (int)Math.Min(chunk.Length, bytes - sent);
                source.Fill(chunk.AsSpan(0, n));
                socket.Send(chunk, 0, n, SocketFlags.None);
                sent += n;
            }
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The receiving side sees and counts what went wrong.
        }
    }
}
