using System.Text;
using Appliance.Logging;

namespace Appliance.Tests.Logging;

public class AccessLogRingTests
{
    private static string Read(AccessLogRing ring, out int set)
    {
        Assert.True(ring.TryPeek(out ReadOnlySpan<byte> message, out set));
        string text = Encoding.ASCII.GetString(message);
        ring.Consume();
        return text;
    }

    [Fact]
    public void RecordsComeOutInOrderWithTheirTargetSet()
    {
        var ring = new AccessLogRing(64 * 1024);
        Assert.True(ring.TryWrite("first"u8, 3));
        Assert.True(ring.TryWrite("second line"u8, 0));
        Assert.Equal("first", Read(ring, out int set));
        Assert.Equal(3, set);
        Assert.Equal("second line", Read(ring, out set));
        Assert.Equal(0, set);
        Assert.False(ring.TryPeek(out _, out _));
        Assert.Equal(0, ring.Pending);
    }

    [Fact]
    public void AFullRingRefusesInsteadOfOverwriting()
    {
        var ring = new AccessLogRing(16 * 1024);
        Assert.Equal(32 * 1024, ring.Capacity);
        byte[] line = new byte[1020];
        int written = 0;
        while (ring.TryWrite(line, 0)) written++;
        // 1024-byte records (4-byte header + 1020) fill 32 KiB exactly.
        Assert.Equal(32, written);
        Assert.False(ring.TryWrite("x"u8, 0));
        Read(ring, out _);
        Assert.True(ring.TryWrite(line, 0));
    }

    [Fact]
    public void WrapsAroundManyTimesWithoutLosingOrCorruptingRecords()
    {
        var ring = new AccessLogRing(32 * 1024);
        var random = new Random(7);
        var expected = new Queue<string>();
        int next = 0;
        for (int step = 0; step < 20_000; step++)
        {
            if (random.Next(3) > 0)
            {
                string text = next.ToString() + new string('x', random.Next(0, 3000));
                if (ring.TryWrite(Encoding.ASCII.GetBytes(text), next % 7))
                {
                    expected.Enqueue(text);
                    next++;
                }
            }
            else if (expected.Count > 0)
            {
                string want = expected.Dequeue();
                Assert.Equal(want, Read(ring, out int set));
                Assert.Equal(int.Parse(want.TrimEnd('x')) % 7, set);
            }
        }
        while (expected.Count > 0) Assert.Equal(expected.Dequeue(), Read(ring, out _));
        Assert.False(ring.TryPeek(out _, out _));
        Assert.True(next > 5000);
    }

    [Fact]
    public void OneProducerAndOneConsumerThreadAgreeOnEveryRecord()
    {
        var ring = new AccessLogRing(16 * 1024);
        const int Count = 200_000;
        int written = 0;
        var producer = new Thread(() =>
        {
            Span<byte> buffer = stackalloc byte[32];
            for (int i = 0; i < Count; i++)
            {
                int length = Encoding.ASCII.GetBytes(i.ToString("D" + (1 + i % 20)), buffer);
                // Spin until there is room: the test wants every record through, a shard would drop instead.
                while (!ring.TryWrite(buffer[..length], i % 5)) Thread.Yield();
                written++;
            }
        });
        producer.Start();
        int received = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (received < Count && DateTime.UtcNow < deadline)
        {
            if (!ring.TryPeek(out ReadOnlySpan<byte> message, out int set))
            {
                Thread.Yield();
                continue;
            }
            Assert.Equal(received, int.Parse(Encoding.ASCII.GetString(message)));
            Assert.Equal(received % 5, set);
            ring.Consume();
            received++;
        }
        producer.Join();
        Assert.Equal(Count, received);
    }

    [Fact]
    public void LongMessagesAreCut()
    {
        var ring = new AccessLogRing(64 * 1024);
        Assert.True(ring.TryWrite(new byte[AccessLogRing.MaxMessageLength + 100], 0));
        Assert.True(ring.TryPeek(out ReadOnlySpan<byte> message, out _));
        Assert.Equal(AccessLogRing.MaxMessageLength, message.Length);
    }
}
