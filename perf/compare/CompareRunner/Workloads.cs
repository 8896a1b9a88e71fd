using System.Net;

namespace CompareRunner;

/// <summary>One measured run of one workload against one target.</summary>
internal sealed record Measurement(
    string Workload, string Target, int Round, IReadOnlyDictionary<string, double> Metrics,
    long Requests, double ProxyCpuSeconds, long Errors, string? Failure = null)
{
    /// <summary>Proxy CPU milliseconds per 1,000 requests (NaN for the direct path, which has no proxy).</summary>
    public double CpuMsPer1kRequests => Requests > 0 && !double.IsNaN(ProxyCpuSeconds) ? ProxyCpuSeconds * 1000 / Requests * 1000 : double.NaN;
}

/// <summary>
/// A workload: what load it puts on a target and which numbers it yields. <paramref name="ProxiesOnly"/>:
/// skipped for the direct path; <paramref name="FirstRoundOnly"/>: measured once per process (memory a
/// process has grown rarely goes back, so later rounds would measure reuse).
/// </summary>
internal sealed record Workload(string Id, string Title, string How, IReadOnlyList<Metric> Metrics, bool UsesTcpMode,
    Func<Target, Options, (Dictionary<string, double> Metrics, long Requests, long Errors)> Run,
    bool ProxiesOnly = false, bool FirstRoundOnly = false);

/// <summary>A number a workload reports, e.g. requests/s (higher is better) or p99 ms (lower is better).</summary>
internal sealed record Metric(string Name, string Unit, bool HigherIsBetter, string Format = "N0");

internal static class Workloads
{
    public static IReadOnlyList<Workload> All(Options options) =>
    [
        new("keepalive", "HTTP keep-alive, 100 B responses", "wrk -t1 -c50 GET /small (keep-alive)",
            [new Metric("rps", "req/s", true)], false,
            (t, o) => FromWrk(Wrk.Run(o.LoadCpu, $"http://{t.Http}/small", 50, o.Seconds), bulk: false)),
        new("close", "HTTP connection per request, 100 B responses", "wrk -t1 -c50 -H 'Connection: close' GET /small",
            [new Metric("rps", "req/s", true)], false,
            (t, o) => FromWrk(Wrk.Run(o.LoadCpu, $"http://{t.Http}/small", 50, o.Seconds, "Connection: close"), bulk: false)),
        new("bulk", "HTTP 1 MiB responses", "wrk -t1 -c8 GET /1m (keep-alive)",
            [new Metric("mibps", "MiB/s", true)], false,
            (t, o) => FromWrk(Wrk.Run(o.LoadCpu, $"http://{t.Http}/1m", 8, o.Seconds), bulk: true)),
        new("tcp", "TCP mode, 1 MiB responses", "wrk -t1 -c8 GET /1m through the TCP-mode listener",
            [new Metric("mibps", "MiB/s", true)], true,
            (t, o) => FromWrk(Wrk.Run(o.LoadCpu, $"http://{t.Tcp}/1m", 8, o.Seconds), bulk: true)),
        new("latency", $"Latency at a constant {options.Rate:N0} req/s, 100 B responses",
            $"open-loop client, 8 keep-alive connections, {options.Rate} req/s, latency from the scheduled send time (HdrHistogram)",
            [new Metric("p50", "ms", false, "N3"), new Metric("p99", "ms", false, "N3")], false,
            (t, o) =>
            {
                LatencyResult r = ConstantRateClient.Run(t.Http, "/small", o.Rate, 8, o.Seconds);
                return (new Dictionary<string, double> { ["p50"] = r.P50Ms, ["p99"] = r.P99Ms, ["p999"] = r.P999Ms, ["max"] = r.MaxMs }, r.Requests, r.Errors);
            }),
        new("idle", $"Memory per idle client connection ({options.IdleConnections:N0} connections)",
            $"{options.IdleConnections:N0} keep-alive connections, one GET /small answered on each, held idle 1 s; (RSS then − RSS before) / connections, VmRSS of all the proxy's processes",
            [new Metric("kib", "KiB/conn", false, "N1")], false,
            (t, o) => IdleConnections.Measure(t, o.IdleConnections), ProxiesOnly: true, FirstRoundOnly: true),
    ];

    private static (Dictionary<string, double>, long, long) FromWrk(WrkResult r, bool bulk)
    {
        var metrics = bulk
            ? new Dictionary<string, double> { ["mibps"] = r.BytesPerSecond / (1024 * 1024), ["rps"] = r.RequestsPerSecond }
            : new Dictionary<string, double> { ["rps"] = r.RequestsPerSecond };
        return (metrics, r.Requests, r.SocketErrors + r.Non2xx);
    }
}
