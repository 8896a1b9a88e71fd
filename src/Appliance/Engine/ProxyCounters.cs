using Appliance.Balancing;
using Appliance.Metrics;

namespace Appliance.Engine;

/// <summary>
/// One shard's counters per frontend and backend, and the layout of the per-shard statistics each server keeps that HAProxy's stats and exporter report
/// (bytes, request/response/connection errors, denials, queue, latency histograms). Written only by
/// the owning shard's thread with plain increments; read by the control plane with volatile reads and
/// summed over the shards at scrape time. Each array is padded so that two shards' arrays never share
/// a cache line.
/// </summary>
internal sealed class ProxyCounters
{
    /// <summary>Frontend slots: bytes in (from clients), bytes out (to clients), request errors, denied requests.</summary>
    public const int FrontendBytesIn = 0, FrontendBytesOut = 1, FrontendRequestErrors = 2, FrontendDenied = 3, FrontendSlots = 4;

    /// <summary>
    /// Backend slots: bytes in/out, HTTP requests, HTTP responses by class (1xx..5xx, other, at
    /// <see cref="BackendResponses"/> + class index), then a gauge that is not cumulative (and so not
    /// carried over reloads): sessions waiting in this shard's queue now. The backend's peak over all
    /// shards is <see cref="Balancing.BackendState.QueuePeak"/> (a sum of per-shard peaks would count
    /// waits that never overlapped).
    /// </summary>
    public const int BackendBytesIn = 0, BackendBytesOut = 1, BackendHttpRequests = 2, BackendResponses = 3,
        BackendQueueCurrent = BackendResponses + ResponseClasses, BackendSlots = BackendQueueCurrent + 1;

    /// <summary>Backend slots that only grow (carried across reloads): all before the queue gauges.</summary>
    public const int BackendCumulativeSlots = BackendQueueCurrent;

    /// <summary>
    /// Server slots: bytes in/out, connection errors, response errors, HTTP responses by class, then
    /// two histograms (time to the response head, total request time), <see cref="LatencyBuckets.Slots"/>
    /// each. All cumulative.
    /// </summary>
    public const int ServerBytesIn = 0, ServerBytesOut = 1, ServerConnectErrors = 2, ServerResponseErrors = 3, ServerResponses = 4,
        ServerResponseTime = ServerResponses + ResponseClasses, ServerTotalTime = ServerResponseTime + LatencyBuckets.Slots,
        ServerSlots = ServerTotalTime + LatencyBuckets.Slots;

    /// <summary>HTTP response classes: 1xx, 2xx, 3xx, 4xx, 5xx, other (HAProxy's <c>hrsp_*</c>).</summary>
    public const int ResponseClasses = 6;

    /// <summary>The class index (0..5) of an HTTP status.</summary>
    public static int ResponseClass(int status)
    {
        int kind = status / 100;
        return kind is >= 1 and <= 5 ? kind - 1 : 5;
    }

    private readonly PaddedLongArray _frontends;
    private readonly PaddedLongArray _backends;
    private readonly int _shard;

    /// <param name="shard">The owning shard: server statistics are kept by each server, one array per shard.</param>
    public ProxyCounters(int shard, int frontendCount, int backendCount)
    {
        _shard = shard;
        _frontends = new PaddedLongArray(frontendCount * FrontendSlots);
        _backends = new PaddedLongArray(backendCount * BackendSlots);
    }

    // ---- shard thread only: plain increments ----------------------------------------------------------

    public void AddFrontend(int frontend, int slot, long value) => _frontends[frontend * FrontendSlots + slot] += value;

    public void AddBackend(int backend, int slot, long value) => _backends[backend * BackendSlots + slot] += value;

    public void AddServer(ServerState server, int slot, long value) => server.ShardStatistics(_shard)[slot] += value;

    /// <summary>
    /// Sessions waiting for a server of <paramref name="backend"/> on this shard now; a change is added to
    /// the backend's total over all shards, which keeps the peak.
    /// </summary>
    public void SetQueued(Forwarding.Backend backend, int count)
    {
        int at = backend.Index * BackendSlots;
        long previous = _backends[at + BackendQueueCurrent];
        if (count == previous) return;
        Volatile.Write(ref _backends[at + BackendQueueCurrent], count);
        backend.State.AddQueued(count - (int)previous);
    }

    /// <summary>One observation of a server's latency histogram (<paramref name="histogram"/> = ServerResponseTime or ServerTotalTime).</summary>
    public void RecordLatency(ServerState server, int histogram, long micros) =>
        LatencyBuckets.Record(server.ShardStatistics(_shard).Slice(histogram, LatencyBuckets.Slots), micros);

    // ---- any thread: volatile reads -------------------------------------------------------------------

    public long Frontend(int frontend, int slot) => Volatile.Read(ref _frontends[frontend * FrontendSlots + slot]);

    public long Backend(int backend, int slot) => Volatile.Read(ref _backends[backend * BackendSlots + slot]);
}
