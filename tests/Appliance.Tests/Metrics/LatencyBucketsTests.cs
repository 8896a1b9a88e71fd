using Appliance.Metrics;

namespace Appliance.Tests.Metrics;

/// <summary>Which bucket an observation lands in: upper bounds are inclusive (Prometheus' <c>le</c>).</summary>
public sealed class LatencyBucketsTests
{
    [Theory]
    [InlineData(0, "0.0005")]
    [InlineData(500, "0.0005")]
    [InlineData(501, "0.001")]
    [InlineData(250_000, "0.25")]
    [InlineData(250_001, "0.5")]
    [InlineData(10_000_000, "10")]
    [InlineData(10_000_001, "+Inf")]
    [InlineData(-5, "0.0005")]
    public void Bounds_are_inclusive(long micros, string le)
    {
        var slots = new long[LatencyBuckets.Slots];
        LatencyBuckets.Record(slots, micros);
        int bucket = Array.IndexOf(LatencyBuckets.UpperBoundLabels, le);
        Assert.Equal(1, slots[bucket]);
        Assert.Equal(1, slots.AsSpan(0, LatencyBuckets.BucketCount).ToArray().Sum());
        Assert.Equal(Math.Max(0, micros), slots[LatencyBuckets.SumSlot]);
    }

    [Fact]
    public void Labels_match_the_bounds()
    {
        Assert.Equal(LatencyBuckets.BucketCount, LatencyBuckets.UpperBoundLabels.Length);
        for (int i = 0; i < LatencyBuckets.UpperBoundsMicros.Length; i++)
        {
            Assert.Equal(LatencyBuckets.UpperBoundsMicros[i] / 1_000_000.0,
                double.Parse(LatencyBuckets.UpperBoundLabels[i], System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
