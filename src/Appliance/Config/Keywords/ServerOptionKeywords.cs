using Appliance.Config.Parsing;

namespace Appliance.Config.Keywords;

/// <summary>
/// Options of <c>server</c> and <c>default-server</c> lines. Options that change the protocol spoken to the
/// server or the address that is checked (TLS, <c>addr</c>) are refused, since ignoring them would send
/// traffic or checks somewhere the file does not say. The PROXY protocol (<c>send-proxy</c>, <c>-v2</c>) is implemented.
/// </summary>
internal static class ServerOptionKeywords
{
    public static WordOptionTable<ServerOptions> Options { get; } = new("server", Build());

    private static IEnumerable<WordOption<ServerOptions>> Build()
    {
        const KeywordStatus implemented = KeywordStatus.Implemented;
        yield return new("check", 0, implemented, "", "enable health checks", (o, _, _) => o with { Check = true });
        yield return new("no-check", 0, implemented, "", "disable health checks (overrides default-server)", (o, _, _) => o with { Check = false });
        yield return new("inter", 1, implemented, "<time>", "interval between checks (default 2s)",
            (o, value, line) => TryInterval(value, "inter", line, out var t) ? o with { Inter = t } : o);
        yield return new("fastinter", 1, implemented, "<time>", "interval while a server changes state (default inter)",
            (o, value, line) => TryInterval(value, "fastinter", line, out var t) ? o with { FastInter = t } : o);
        yield return new("downinter", 1, implemented, "<time>", "interval while a server is down (default inter)",
            (o, value, line) => TryInterval(value, "downinter", line, out var t) ? o with { DownInter = t } : o);
        yield return new("rise", 1, implemented, "<count>", "successful checks to mark a server up (default 2)",
            (o, value, line) => TryCount(value, "rise", 1, int.MaxValue, line, out int n) ? o with { Rise = n } : o);
        yield return new("fall", 1, implemented, "<count>", "failed checks to mark a server down (default 3)",
            (o, value, line) => TryCount(value, "fall", 1, int.MaxValue, line, out int n) ? o with { Fall = n } : o);
        yield return new("weight", 1, implemented, "<0..256>", "share of the load (default 1)",
            (o, value, line) => TryCount(value, "weight", 0, 256, line, out int n) ? o with { Weight = n } : o);
        yield return new("backup", 0, implemented, "", "used only when no non-backup server is up", (o, _, _) => o with { Backup = true });
        yield return new("no-backup", 0, implemented, "", "not a backup server (overrides default-server)", (o, _, _) => o with { Backup = false });
        yield return new("maxconn", 1, implemented, "<number>", "concurrent connections to the server (0 = unlimited)",
            (o, value, line) => TryCount(value, "maxconn", 0, int.MaxValue, line, out int n) ? o with { MaxConn = n } : o);
        yield return new("disabled", 0, implemented, "", "start in maintenance", (o, _, _) => o with { Disabled = true });
        yield return new("enabled", 0, implemented, "", "start in service (overrides default-server)", (o, _, _) => o with { Disabled = false });
        yield return new("port", 1, implemented, "<1..65535>", "port health checks connect to (default: the server's)",
            (o, value, line) => TryCount(value, "port", 1, 65535, line, out int n) ? o with { CheckPort = n } : o);
        yield return new("pool-max-conn", 1, implemented, "<max>", "idle kept-alive connections kept for the server (-1 = no limit, 0 = none; default -1)",
            (o, value, line) => TryCount(value, "pool-max-conn", -1, int.MaxValue, line, out int n) ? o with { PoolMaxConn = n } : o);
        yield return new("pool-low-conn", 1, implemented, "<count>", "idle connections a shard keeps beyond its estimated need (default 0)",
            (o, value, line) => TryCount(value, "pool-low-conn", 0, int.MaxValue, line, out int n) ? o with { PoolLowConn = n } : o);
        yield return new("pool-purge-delay", 1, implemented, "<time>", "each period, half the idle connections beyond the need are closed (0 = never; default 5s)",
            (o, value, line) => TryDelay(value, "pool-purge-delay", line, out var t) ? o with { PoolPurgeDelay = t } : o);
        yield return new("send-proxy", 0, implemented, "", "each connection starts with a PROXY protocol v1 line naming the client (checks send UNKNOWN)",
            (o, _, _) => o with { SendProxy = Model.ProxyProtocolVersion.V1 });
        yield return new("send-proxy-v2", 0, implemented, "", "each connection starts with a PROXY protocol v2 header naming the client (checks send LOCAL)",
            (o, _, _) => o with { SendProxy = Model.ProxyProtocolVersion.V2 });
        yield return new("no-send-proxy", 0, implemented, "", "no PROXY protocol v1 line (overrides default-server)",
            (o, _, _) => o.SendProxy == Model.ProxyProtocolVersion.V1 ? o with { SendProxy = Model.ProxyProtocolVersion.None } : o);
        yield return new("no-send-proxy-v2", 0, implemented, "", "no PROXY protocol v2 header (overrides default-server)",
            (o, _, _) => o.SendProxy == Model.ProxyProtocolVersion.V2 ? o with { SendProxy = Model.ProxyProtocolVersion.None } : o);

        foreach (var (name, count) in ((string, int)[])[
            ("cookie", 1), ("id", 1), ("slowstart", 1), ("observe", 1), ("error-limit", 1), ("on-error", 1),
            ("on-marked-down", 1), ("on-marked-up", 1), ("minconn", 1), ("maxqueue", 1), ("resolvers", 1),
            ("resolve-prefer", 1), ("resolve-net", 1), ("init-addr", 1), ("agent-check", 0), ("agent-port", 1), ("agent-inter", 1), ("agent-addr", 1),
            ("agent-send", 1), ("tfo", 0), ("log-proto", 1)])
        {
            yield return new(name, count, KeywordStatus.Ignored, count == 0 ? "" : "<value>", "not implemented yet");
        }
        foreach (var (name, count) in ((string, int)[])[
            ("ssl", 0), ("verify", 1), ("sni", 1), ("ca-file", 1), ("crt", 1), ("alpn", 1), ("check-ssl", 0),
            ("check-sni", 1), ("send-proxy-v2-ssl", 0),
            ("proxy-v2-options", 1), ("addr", 1), ("redir", 1), ("source", 1), ("track", 1),
            ("proto", 1), ("namespace", 1)])
        {
            yield return new(name, count, KeywordStatus.Unsupported, count == 0 ? "" : "<value>", "not supported yet");
        }
    }

    private static bool TryInterval(string value, string option, KeywordLine line, out TimeSpan interval)
    {
        if (!Values.TimeValue.TryParse(value, out interval, out string error))
        {
            line.Error($"option '{option}': {error}");
            return false;
        }
        if (interval <= TimeSpan.Zero)
        {
            line.Error($"option '{option}': the interval must be more than 0");
            return false;
        }
        return true;
    }

    private static bool TryDelay(string value, string option, KeywordLine line, out TimeSpan delay)
    {
        if (Values.TimeValue.TryParse(value, out delay, out string error)) return true;
        line.Error($"option '{option}': {error}");
        return false;
    }

    private static bool TryCount(string value, string option, int min, int max, KeywordLine line, out int count)
    {
        if (Values.IntegerValue.TryParse(value, min, max, out count, out string error)) return true;
        line.Error($"option '{option}': {error}");
        return false;
    }
}
