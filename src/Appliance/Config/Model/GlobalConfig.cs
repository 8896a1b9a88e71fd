namespace Appliance.Config.Model;

/// <summary>The <c>global</c> section.</summary>
public sealed record GlobalConfig(
    int MaxConn = 0,
    int? NbThread = null,
    ValueList<CpuMapConfig> CpuMaps = default,
    TimeSpan? HardStopAfter = null,
    ValueList<StatsSocketConfig> StatsSockets = default,
    int? MworkerMaxReloads = null,
    string? MasterSocket = null,
    string? MetricsPrefix = null,
    PrometheusListenerConfig? PrometheusListener = null)
{
    public static GlobalConfig Default { get; } = new();

    /// <summary>The global <c>log</c> lines (what <c>log global</c> in a proxy refers to).</summary>
    public ValueList<LogTargetConfig> LogTargets { get; init; }

    /// <summary><c>log-tag</c>: the program name in syslog headers; null = <c>appliance</c>.</summary>
    public string? LogTag { get; init; }

    /// <summary>
    /// <c>tune.log.ring-size</c>: bytes of each shard's access-log ring. When the log writer falls behind
    /// by that much, new lines are dropped and counted instead of slowing the shard down.
    /// </summary>
    public int LogRingSize { get; init; } = DefaultLogRingSize;

    /// <summary>256 KiB per shard: about 1,500 httplog lines of ~170 bytes, a few seconds of a stalled target at high rates.</summary>
    public const int DefaultLogRingSize = 256 * 1024;

    /// <summary>
    /// <c>strict-limits</c> (on by default, as in HAProxy 2.6): refuse to start when the descriptor limit
    /// cannot be raised to what <c>maxconn</c> needs. <c>no strict-limits</c> starts anyway with a warning;
    /// connections beyond the descriptors then wait in the listen queue until others end.
    /// </summary>
    public bool StrictLimits { get; init; } = true;

    /// <summary>
    /// <c>busy-polling</c> (off by default, as in HAProxy): shards never sleep in epoll_wait but poll with
    /// a zero timeout until an event or a timer is due. On virtual machines this saves the wake-up of a
    /// halted CPU on every event (latency, and the IPI the sender pays) at the price of a whole CPU per
    /// shard; see perf/README.md for a measurement.
    /// </summary>
    public bool BusyPolling { get; init; }
}
