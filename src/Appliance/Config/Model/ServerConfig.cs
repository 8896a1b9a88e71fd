using System.Net;

namespace Appliance.Config.Model;

/// <summary>
/// A <c>server NAME ADDR:PORT [options]</c> line, after <c>default-server</c> options were applied.
/// Defaults are HAProxy's: inter 2s, fastinter = inter, downinter = inter, rise 2, fall 3, weight 1,
/// maxconn 0 (unlimited). <see cref="CheckPort"/> is the <c>port</c> option: health checks connect to
/// it instead of the traffic port.
/// </summary>
public sealed record ServerConfig(
    string Name,
    IPEndPoint Address,
    SourceLocation Location,
    bool Check = false,
    TimeSpan? Inter = null,
    TimeSpan? FastInter = null,
    TimeSpan? DownInter = null,
    int Rise = 2,
    int Fall = 3,
    int Weight = 1,
    bool Backup = false,
    int MaxConn = 0,
    bool Disabled = false,
    int? CheckPort = null)
{
    public static readonly TimeSpan DefaultInter = TimeSpan.FromSeconds(2);

    /// <summary>Interval between checks while the server is fully UP or fully DOWN-stable.</summary>
    public TimeSpan EffectiveInter => Inter ?? DefaultInter;

    /// <summary>Interval while a server is UP but transitioning (failed at least once).</summary>
    public TimeSpan EffectiveFastInter => FastInter ?? EffectiveInter;

    /// <summary>Interval while a server is DOWN.</summary>
    public TimeSpan EffectiveDownInter => DownInter ?? EffectiveInter;
}
