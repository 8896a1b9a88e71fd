using Appliance.Config.Model;

namespace Appliance.Config.Parsing;

/// <summary>The <c>global</c> section while it is being read; several <c>global</c> sections add up, as in HAProxy.</summary>
internal sealed class GlobalSection
{
    public int MaxConn { get; set; }

    public int? NbThread { get; set; }

    public TimeSpan? HardStopAfter { get; set; }

    public List<CpuMapConfig> CpuMaps { get; } = new();

    public List<StatsSocketConfig> StatsSockets { get; } = new();

    public int? MworkerMaxReloads { get; set; }

    public string? MasterSocket { get; set; }

    public string? MetricsPrefix { get; set; }

    public PrometheusListenerConfig? PrometheusListener { get; set; }
    public List<LogTargetConfig> LogTargets { get; } = new();

    public string? LogTag { get; set; }

    public int? LogRingSize { get; set; }

    public bool StrictLimits { get; set; } = true;

    public bool BusyPolling { get; set; }

    public GlobalConfig ToConfig() => new(
        MaxConn,
        NbThread,
        new ValueList<CpuMapConfig>(CpuMaps),
        HardStopAfter,
        new ValueList<StatsSocketConfig>(StatsSockets),
        MworkerMaxReloads,
        MasterSocket,
        MetricsPrefix,
        PrometheusListener)
    {
        LogTargets = new ValueList<LogTargetConfig>(LogTargets),
        LogTag = LogTag,
        LogRingSize = LogRingSize ?? GlobalConfig.DefaultLogRingSize,
        StrictLimits = StrictLimits,
        BusyPolling = BusyPolling,
    };
}
