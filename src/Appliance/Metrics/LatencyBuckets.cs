namespace Appliance.Metrics;

/// <summary>
/// The fixed buckets of the latency histograms (HAProxy has only averages): upper bounds from 0.5 ms to
/// 10 s, roughly ×2.5 apart, enough for p50/p95/p99 of a proxy in front of web servers. A shard records
/// into plain <c>long</c> slots — one per bucket (not cumulative) plus the sum in microseconds — and the
/// exporter adds the shards' slots up and makes them cumulative at scrape time.
/// </summary>
internal static class LatencyBuckets
{
    /// <summary>Finite upper bounds in microseconds; a last, implicit bucket is +Inf.</summary>
    public static readonly long[] UpperBoundsMicros = [500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000];

    /// <summary>The same bounds in seconds as Prometheus' <c>le</c> label values.</summary>
    public static readonly string[] UpperBoundLabels = ["0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"];

    /// <summary>Buckets including +Inf.</summary>
    public const int BucketCount = 15;

    /// <summary>Slots of one histogram: the buckets, then the sum of observed values in microseconds.</summary>
    public const int Slots = BucketCount + 1;

    /// <summary>Index of the sum slot.</summary>
    public const int SumSlot = BucketCount;

    /// <summary>Counts one observation into <paramref name="slots"/> (a histogram's <see cref="Slots"/> longs). Owner thread only; no allocation.</summary>
    public static void Record(Span<long> slots, long micros)
    {
        if (micros < 0) micros = 0;
        long[] bounds = UpperBoundsMicros;
        int bucket = 0;
        while (bucket < bounds.Length && micros > bounds[bucket]) bucket++;
        slots[bucket]++;
        slots[SumSlot] += micros;
    }

    /// <summary>Microseconds between two <see cref="System.Diagnostics.Stopwatch"/> timestamps.</summary>
    public static long Micros(long from, long to) =>
        (long)((to - from) * (1_000_000.0 / System.Diagnostics.Stopwatch.Frequency));
}
