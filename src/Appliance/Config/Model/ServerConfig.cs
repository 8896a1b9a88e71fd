using System.Net;

namespace Appliance.Config.Model;

/// <summary>
/// A <c>server NAME ADDR:PORT [options]</c> line, after <c>default-server</c> options were applied.
/// Defaults are HAProxy's: inter 2s, fastinter = inter, downinter = inter, rise 2, fall 3, weight 1,
/// maxconn 0 (unlimited), pool-max-conn -1 (unlimited), pool-low-conn 0, pool-purge-delay 5s.
/// <see cref="CheckPort"/> is the <c>port</c> option: health checks connect to it instead of the traffic port.
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
    int? CheckPort = null,
    int PoolMaxConn = -1,
    int PoolLowConn = 0,
    TimeSpan? PoolPurgeDelay = null,
    ProxyProtocolVersion SendProxy = ProxyProtocolVersion.None)
{
    public static readonly TimeSpan DefaultInter = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan DefaultPoolPurgeDelay = TimeSpan.FromSeconds(5);

    /// <summary>How often the idle connections beyond the estimated need are halved; 0 = never.</summary>
    public TimeSpan EffectivePoolPurgeDelay => PoolPurgeDelay ?? DefaultPoolPurgeDelay;

    /// <summary>Interval between checks while the server is fully UP or fully DOWN-stable.</summary>
    public TimeSpan EffectiveInter => Inter ?? DefaultInter;

    /// <summary>Interval while a server is UP but transitioning (failed at least once).</summary>
    public TimeSpan EffectiveFastInter => FastInter ?? EffectiveInter;

    /// <summary>Interval while a server is DOWN.</summary>
    public TimeSpan EffectiveDownInter => DownInter ?? EffectiveInter;
}
