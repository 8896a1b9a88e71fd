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
}
