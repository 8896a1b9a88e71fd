namespace Appliance.Config.Model;

/// <summary>
/// <c>stats socket PATH [mode OCTAL] [level user|operator|admin]</c> in <c>global</c>: the runtime API
/// Unix socket. HAProxy's default level is <c>operator</c> (configuration.txt, bind option "level").
/// </summary>
public sealed record StatsSocketConfig(string Path, int? Mode, RuntimeApiLevel Level, SourceLocation Location);
