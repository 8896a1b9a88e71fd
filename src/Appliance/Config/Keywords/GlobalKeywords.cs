using Appliance.Config.Parsing;

namespace Appliance.Config.Keywords;

/// <summary>The <c>global</c> section's keywords.</summary>
internal static class GlobalKeywords
{
    /// <summary>HAProxy's thread limit on 64-bit builds; cpu-map's thread sets are bounded by it too.</summary>
    public const int MaxThreads = 64;

    public static KeywordTable<GlobalSection> Table { get; } = new(Build());

    private static IEnumerable<KeywordSpec<GlobalSection>> Build()
    {
        const SectionKinds global = SectionKinds.Global;
        yield return new("maxconn", global, KeywordStatus.Implemented, "<number>",
            "process-wide limit on concurrent connections (0 = no limit)", ParseMaxConn);
        yield return new("strict-limits", global, KeywordStatus.Implemented, "",
            "refuse to start when the descriptor limit cannot be raised for maxconn (default); 'no strict-limits' warns and runs", ParseStrictLimits)
        { Negatable = true };
        yield return new("busy-polling", global, KeywordStatus.Implemented, "",
            "shards poll with a zero timeout instead of sleeping: lower latency on VMs, a whole CPU per shard; 'no busy-polling' turns it off", ParseBusyPolling)
        { Negatable = true };
        yield return new("nbthread", global, KeywordStatus.Implemented, "<number>",
            $"number of shards (threads), 1..{MaxThreads}", ParseNbThread);
        yield return new("cpu-map", global, KeywordStatus.Implemented, "[auto:]1[/<threads>] <cpus>...",
            "pin threads (shards) to CPUs", CpuMapKeyword.Parse);
        yield return new("hard-stop-after", global, KeywordStatus.Implemented, "<time>",
            "deadline for an old worker to drain after a reload or stop", ParseHardStopAfter);
        yield return new("stats socket", global, KeywordStatus.Implemented, "<path> [mode <octal>] [level user|operator|admin]",
            "runtime API Unix socket", StatsSocketKeyword.Parse);
        yield return new("mworker-max-reloads", global, KeywordStatus.Implemented, "<number>",
            "old worker generations allowed to drain at once; beyond it the oldest is stopped (default 50)", ParseMworkerMaxReloads);
        yield return new("master-socket", global, KeywordStatus.Implemented, "<path>",
            "the master CLI socket (show proc, reload), as -S; default /run/appliance/master.sock", ParseMasterSocket);
        yield return new("metrics-prefix", global, KeywordStatus.Implemented, "<prefix>",
            "prefix of the Prometheus metric names (default appliance; 'haproxy' for HAProxy's exporter names)", ParseMetricsPrefix);
        yield return new("prometheus-listener", global, KeywordStatus.Implemented, "<addr:port>",
            "a listener of its own serving the Prometheus exposition on /metrics (ours, not HAProxy's)", ParsePrometheusListener);
        yield return new("log", global, KeywordStatus.Implemented, LogKeyword.Arguments.Replace("global | ", ""),
            "a log target that proxies use with 'log global'", LogKeyword.ParseGlobal);
        yield return new("log-tag", global, KeywordStatus.Implemented, "<tag>",
            "program name in syslog headers (default appliance)", ParseLogTag);
        yield return new("tune.log.ring-size", global, KeywordStatus.Implemented, "<size>",
            $"bytes of each shard's access-log ring (default {Model.GlobalConfig.DefaultLogRingSize / 1024}k); lines that do not fit while the log writer is behind are dropped and counted",
            ParseLogRingSize);
        yield return new("nbproc", global, KeywordStatus.Unsupported, "<number>",
            "removed from HAProxy 2.5; use nbthread");
        yield return new("thread-groups", global, KeywordStatus.Unsupported, "<number>",
            "only one thread group exists");
        foreach (var name in (string[])["setenv", "presetenv", "resetenv", "unsetenv"])
        {
            // Refused rather than ignored: later "${VAR}" expansions would silently read the wrong value.
            yield return new(name, global, KeywordStatus.Unsupported, "...", "changes environment variables used by later lines");
        }
        foreach (var name in IgnoredKeywords.Global)
        {
            yield return new(name, global, KeywordStatus.Ignored, "...", "not implemented yet");
        }
        foreach (var prefix in IgnoredKeywords.GlobalPrefixes)
        {
            yield return new(prefix, global, KeywordStatus.Ignored, "...", "not implemented yet") { IsPrefix = true };
        }
    }

    private static void ParseMaxConn(KeywordLine line, GlobalSection global)
    {
        if (line.HasArguments(1, 1) && line.TryInteger(0, 0, int.MaxValue, out int value)) global.MaxConn = value;
    }

    private static void ParseStrictLimits(KeywordLine line, GlobalSection global)
    {
        if (line.HasArguments(0, 0)) global.StrictLimits = !line.Negated;
    }

    private static void ParseBusyPolling(KeywordLine line, GlobalSection global)
    {
        if (line.HasArguments(0, 0)) global.BusyPolling = !line.Negated;
    }

    private static void ParseNbThread(KeywordLine line, GlobalSection global)
    {
        if (line.HasArguments(1, 1) && line.TryInteger(0, 1, MaxThreads, out int value)) global.NbThread = value;
    }

    private static void ParseMworkerMaxReloads(KeywordLine line, GlobalSection global)
    {
        if (line.HasArguments(1, 1) && line.TryInteger(0, 0, int.MaxValue, out int value)) global.MworkerMaxReloads = value;
    }

    private static void ParseMasterSocket(KeywordLine line, GlobalSection global)
    {
        if (line.HasArguments(1, 1)) global.MasterSocket = line.Argument(0);
    }

    private static void ParseMetricsPrefix(KeywordLine line, GlobalSection global)
    {
        if (!line.HasArguments(1, 1)) return;
        string prefix = line.Argument(0);
        if (!Metrics.MetricNames.IsValidPrefix(prefix))
        {
            line.Error($"'{prefix}' is not a valid metric name prefix (a letter or '_' first, then letters, digits and '_')");
            return;
        }
        global.MetricsPrefix = prefix;
    }

    private static void ParsePrometheusListener(KeywordLine line, GlobalSection global)
    {
        if (!line.HasArguments(1, 1)) return;
        if (global.PrometheusListener is not null)
        {
            line.Error($"already set at {global.PrometheusListener.Location}");
            return;
        }
        if (!Addresses.AddressParser.TryParseBindList(line.Argument(0), out var endPoints, out string error))
        {
            line.Error(error);
            return;
        }
        if (endPoints.Count != 1)
        {
            line.Error("expects one address");
            return;
        }
        global.PrometheusListener = new Model.PrometheusListenerConfig(endPoints[0], line.Location);
    }

    private static void ParseLogTag(KeywordLine line, GlobalSection global)
    {
        if (!line.HasArguments(1, 1)) return;
        string tag = line.Argument(0);
        if (tag.Length > 32 || tag.AsSpan().IndexOfAny(" []:") >= 0)
        {
            line.Error($"'{tag}' is not a valid log tag (at most 32 characters, none of ' ', '[', ']', ':')");
            return;
        }
        global.LogTag = tag;
    }

    private static void ParseLogRingSize(KeywordLine line, GlobalSection global)
    {
        if (!line.HasArguments(1, 1)) return;
        if (!Values.SizeValue.TryParse(line.Argument(0), out long bytes, out string error))
        {
            line.Error(error);
            return;
        }
        if (bytes < 4096 || bytes > 1L << 30)
        {
            line.Error($"'{line.Argument(0)}' is out of range (4k to 1g)");
            return;
        }
        global.LogRingSize = (int)bytes;
    }

    private static void ParseHardStopAfter(KeywordLine line, GlobalSection global)
    {
        if (line.HasArguments(1, 1) && line.TryTime(0, out var value)) global.HardStopAfter = value;
    }
}
