using System.Net;
using Appliance.Logging;
using Appliance.Tests.Support;
using SocketAddress = Appliance.Native.SocketAddress;

namespace Appliance.Tests.Logging;

public sealed class LogAllocationTests
{
    /// <summary>
    /// What a shard does per logged request — a wall-clock read, an httplog line composed piece by piece, a copy
    /// into the ring — and what the writer does to take it out allocates nothing in steady state.
    /// </summary>
    [Fact]
    public void FormattingALineAndPassingItThroughTheRingAllocateNothing()
    {
        var ring = new AccessLogRing(64 * 1024);
        byte[] client = new byte[SocketAddress.MaxLength];
        SocketAddress.Write(IPEndPoint.Parse("192.0.2.7:51234"), client);
        long total = Run(ring, client, 100);
        long allocated = SteadyStateAllocation.Measure(() => total += Run(ring, client, 10_000));
        Assert.True(total > 0);
        Assert.Equal(0, allocated);
    }

    private static long Run(AccessLogRing ring, byte[] client, int count)
    {
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            var line = new LogLineWriter(ring.Scratch);
            line.AppendAddress(client);
            line.Append(" ["u8);
            line.AppendDate(DateTime.Now.AddMilliseconds(-i % 50));
            line.Append("] "u8);
            line.Append("frontend-name");
            line.Append((byte)' ');
            line.Append("backend");
            line.Append((byte)'/');
            line.Append("server1");
            line.Append((byte)' ');
            line.Append(i % 7);
            line.Append((byte)'/');
            line.Append(-1);
            line.Append(" 200 "u8);
            line.Append(123456L);
            line.Append(" - - ----"u8);
            line.AppendQuoted("GET /api/items?id=42 HTTP/1.1"u8);
            if (!ring.TryWrite(line.Written, 1)) throw new InvalidOperationException("ring full");
            if (!ring.TryPeek(out ReadOnlySpan<byte> message, out _)) throw new InvalidOperationException("ring empty");
            total += message.Length;
            ring.Consume();
        }
        return total;
    }
}
