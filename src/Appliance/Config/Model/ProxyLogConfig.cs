namespace Appliance.Config.Model;

/// <summary>
/// A frontend's traffic logging: its resolved targets (<c>log global</c> replaced by the global
/// section's lines), which line it writes and whether empty connections are skipped.
/// </summary>
/// <param name="Format">A <c>log-format</c> string (validated), used instead of the option's format; null when absent.</param>
public sealed record ProxyLogConfig(
    ValueList<LogTargetConfig> Targets,
    LogOption Option,
    bool DontLogNull,
    string? Format = null)
{
    public static ProxyLogConfig None { get; } = new(ValueList<LogTargetConfig>.Empty, LogOption.Default, false);

    public bool Enabled => Targets.Count > 0;
}
