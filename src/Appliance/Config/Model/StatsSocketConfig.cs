namespace Appliance.Config.Model;

/// <summary>
/// <c>stats socket PATH [mode OCTAL] [level user|operator|admin]</c> in <c>global</c>: the runtime API
/// Unix socket. HAProxy's default level is <c>admin</c>.
/// </summary>
public sealed record StatsSocketConfig(string Path, int? Mode, RuntimeApiLevel Level, SourceLocation Location);
