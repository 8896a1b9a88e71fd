using HdrHistogram;

namespace Appliance.Load.Client;

/// <summary>
/// One worker thread's counters and latency histogram. Written only by its worker; the progress line
/// reads the counters while it runs (64-bit reads are atomic on x64), the histogram only after it stopped.
/// </summary>
internal sealed class WorkerStats
{
    private static readonly int KindCount = Enum.GetValues<ErrorKind>().Length;

    /// <summary>Latency in µs, 1 µs to 120 s, 3 significant digits.</summary>
    public LongHistogram Latency { get; } = new(120_000_000, 3);

    public long Ok;

    /// <summary>Body bytes received and verified.</summary>
    public long VerifiedBytes;

    public long ErrorCount;

    public long[] Errors { get; } = new long[KindCount];

    /// <summary>Answers by status code, including the accepted non-200 ones (e.g. 502 while a backend dies).</summary>
    public Dictionary<int, long> Statuses { get; } = [];

    /// <summary>
    /// Requests sent again on a new connection because a reused keep-alive connection was closed before any
    /// response byte (as HTTP clients do for idempotent requests, RFC 9112 section 9.3.1).
    /// </summary>
    public long StaleRetries;

    /// <summary>Connections opened.</summary>
    public long Connects;

    /// <summary>Answers that carried <c>Connection: close</c> on a keep-alive scenario (e.g. a draining worker).</summary>
    public long ServerCloses;

    public void Error(ErrorKind kind)
    {
        Errors[(int)kind]++;
        ErrorCount++;
    }

    public void Status(int code) => Statuses[code] = Statuses.GetValueOrDefault(code) + 1;

    public void Record(long micros) => Latency.RecordValue(Math.Clamp(micros, 1, 120_000_000));
}
