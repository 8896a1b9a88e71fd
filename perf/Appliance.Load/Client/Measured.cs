using HdrHistogram;

namespace Appliance.Load.Client;

/// <summary>The merged figures of one load run (all workers plus the side action's own errors).</summary>
internal sealed class Measured
{
    public Measured(IReadOnlyList<WorkerStats> workers, double seconds)
    {
        Seconds = seconds;
        Latency = new LongHistogram(120_000_000, 3);
        foreach (WorkerStats w in workers)
        {
            Latency.Add(w.Latency);
            Ok += w.Ok;
            VerifiedBytes += w.VerifiedBytes;
            StaleRetries += w.StaleRetries;
            ServerCloses += w.ServerCloses;
            Connects += w.Connects;
            foreach (ErrorKind kind in Enum.GetValues<ErrorKind>())
            {
                long n = w.Errors[(int)kind];
                if (n > 0) Errors[kind] = Errors.GetValueOrDefault(kind) + n;
            }
            foreach (var (code, n) in w.Statuses) Statuses[code] = Statuses.GetValueOrDefault(code) + n;
        }
    }

    public double Seconds { get; }

    public LongHistogram Latency { get; }

    public long Ok { get; }

    public long VerifiedBytes { get; }

    public long StaleRetries { get; }

    public long ServerCloses { get; }

    public long Connects { get; }

    public SortedDictionary<ErrorKind, long> Errors { get; } = [];

    public SortedDictionary<int, long> Statuses { get; } = [];

    public long ErrorTotal => Errors.Values.Sum();

    public double PerSecond => Seconds > 0 ? Ok / Seconds : 0;

    public double MiBPerSecond => Seconds > 0 ? VerifiedBytes / Seconds / (1024 * 1024) : 0;

    /// <summary>Latency percentile in ms (NaN when nothing was recorded).</summary>
    public double Ms(double percentile) => Latency.TotalCount == 0 ? double.NaN : Latency.GetValueAtPercentile(percentile) / 1000.0;

    public double MaxMs => Latency.TotalCount == 0 ? double.NaN : Latency.GetMaxValue() / 1000.0;
}
