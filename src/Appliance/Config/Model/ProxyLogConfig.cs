namespace Appliance.Config.Model;

/// <summary>
/// A frontend's traffic logging: its resolved targets (<c>log global</c> replaced by the global
/// section's lines), which line it writes and whether empty connections are skipped.
/// </summary>
public sealed record ProxyLogConfig(
    ValueList<LogTargetConfig> Targets,
    LogOption Option,
    bool DontLogNull)
{
    public static ProxyLogConfig None { get; } = new(ValueList<LogTargetConfig>.Empty, LogOption.Default, false);

    public bool Enabled => Targets.Count > 0;
}
