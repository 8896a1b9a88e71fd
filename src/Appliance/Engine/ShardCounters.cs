using System.Runtime.InteropServices;

namespace Appliance.Engine;

/// <summary>
/// Counters written only by their shard's thread (plain increments, no atomics) and read by the
/// control plane with volatile reads; a torn or slightly stale read is acceptable for statistics.
/// Padded so two shards' counters never share a cache line.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 256)]
internal struct ShardCounters
{
    public long Accepted;
    public long CurrentConnections;
    public long SplicedBytes;
    public long ConnectRetries;
    public long Redispatches;
    public long ConnectFailures;
    public long NoServer;
    public long AcceptErrors;
    public long ConnectionReuses;
    public long HttpRequests;
    public long HttpRequestErrors;
    public long HttpResponseErrors;
    public long HttpProxyAnswers;
    public long HttpResponses1xx;
    public long HttpResponses2xx;
    public long HttpResponses3xx;
    public long HttpResponses4xx;
    public long HttpResponses5xx;
    public long HttpResponsesOther;
    /// <summary>Access-log lines refused because the shard's log ring was full (the writer fell behind).</summary>
    public long DroppedLogs;
}
