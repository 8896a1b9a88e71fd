using System.Net;
using Appliance.Config.Addresses;
using Appliance.Config.Model;
using Appliance.Config.Parsing;

namespace Appliance.Config.Keywords;

/// <summary>
/// <c>log TARGET [len N] [format F] FACILITY [LEVEL [MINLEVEL]]</c> (global and proxies), <c>log global</c>
/// and <c>no log</c> (proxies), with HAProxy's target forms, facilities and levels.
/// </summary>
internal static class LogKeyword
{
    public const string Arguments = "global | <target> [len <n>] [format rfc3164|rfc5424|short|raw] <facility> [<level> [<minlevel>]]";

    public static readonly string[] Facilities =
    [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "auth2", "ftp", "ntp",
        "audit", "alert", "cron2", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
    ];

    public static readonly string[] Levels = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];

    private static readonly string[] Formats = ["rfc3164", "rfc5424", "short", "raw"];

    /// <summary>Formats HAProxy has that are refused here rather than silently written in another shape.</summary>
    private static readonly string[] OtherFormats = ["local", "priority", "timed", "iso"];

    public static void ParseGlobal(KeywordLine line, GlobalSection global)
    {
        if (line.ArgumentCount == 1 && line.Argument(0) == "global")
        {
            line.Error("'log global' is for proxies; the global section declares targets");
            return;
        }
        if (TryParseTarget(line, out LogTargetConfig? target)) global.LogTargets.Add(target);
    }

    public static void ParseProxy(KeywordLine line, ProxySection section)
    {
        if (line.Negated)
        {
            // "no log": forget the inherited targets.
            if (line.HasArguments(0, 0)) section.Settings = section.Settings with { LogGlobal = false, LogTargets = ValueList<LogTargetConfig>.Empty };
            return;
        }
        if (line.ArgumentCount >= 1 && line.Argument(0) == "global")
        {
            if (line.HasArguments(1, 1)) section.Settings = section.Settings with { LogGlobal = true };
            return;
        }
        if (!TryParseTarget(line, out LogTargetConfig? target)) return;
        section.Settings = section.Settings with { LogTargets = new ValueList<LogTargetConfig>([.. section.Settings.LogTargets, target]) };
    }

    private static bool TryParseTarget(KeywordLine line, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LogTargetConfig? target)
    {
        target = null;
        if (!line.HasArguments(2, 10)) return false;
        if (!TryParseAddress(line, line.Argument(0), out LogTargetKind kind, out IPEndPoint? endpoint, out string? path)) return false;
        int maxLength = LogTargetConfig.DefaultMaxLength;
        var format = SyslogFormat.Rfc3164;
        int i = 1;
        while (i + 1 < line.ArgumentCount && line.Argument(i) is "len" or "format" or "sample")
        {
            string option = line.Argument(i), value = line.Argument(i + 1);
            i += 2;
            switch (option)
            {
                case "len":
                    if (!line.TryInteger(i - 1, 80, 65535, out maxLength)) return false;
                    break;
                case "format":
                    int index = Array.IndexOf(Formats, value);
                    if (index < 0)
                    {
                        line.Error(Array.IndexOf(OtherFormats, value) >= 0
                            ? $"log format '{value}' is not supported yet (use rfc3164, rfc5424, short or raw)"
                            : KeywordSuggestion.WithSuggestion($"unknown log format '{value}'", value, Formats));
                        return false;
                    }
                    format = (SyslogFormat)index;
                    break;
                default:
                    line.Error("'sample' (sending one line in N) is not supported yet");
                    return false;
            }
        }
        if (i >= line.ArgumentCount)
        {
            line.Error($"missing facility; usage: {line.Usage}");
            return false;
        }
        int facility = Array.IndexOf(Facilities, line.Argument(i));
        if (facility < 0)
        {
            line.Error(KeywordSuggestion.WithSuggestion($"unknown facility '{line.Argument(i)}'", line.Argument(i), Facilities));
            return false;
        }
        int level = Levels.Length - 1;
        if (++i < line.ArgumentCount && !TryLevel(line, line.Argument(i), out level)) return false;
        // A minimum level only raises the severity of lower messages; traffic logs are info either way.
        if (++i < line.ArgumentCount && !TryLevel(line, line.Argument(i), out _)) return false;
        if (++i < line.ArgumentCount)
        {
            line.Error($"unexpected argument '{line.Argument(i)}'; usage: {line.Usage}");
            return false;
        }
        target = new LogTargetConfig(kind, endpoint, path, facility, level, format, maxLength, line.Location);
        return true;
    }

    private static bool TryLevel(KeywordLine line, string word, out int level)
    {
        level = Array.IndexOf(Levels, word);
        if (level >= 0) return true;
        line.Error(KeywordSuggestion.WithSuggestion($"unknown log level '{word}'", word, Levels));
        return false;
    }

    private static bool TryParseAddress(KeywordLine line, string text, out LogTargetKind kind, out IPEndPoint? endpoint, out string? path)
    {
        kind = LogTargetKind.Udp;
        endpoint = null;
        path = null;
        switch (text)
        {
            case "stdout" or "fd@1":
                kind = LogTargetKind.Stdout;
                return true;
            case "stderr" or "fd@2":
                kind = LogTargetKind.Stderr;
                return true;
        }
        if (text.StartsWith('/') || text.StartsWith("unix@", StringComparison.Ordinal))
        {
            kind = LogTargetKind.UnixDatagram;
            path = text.StartsWith('/') ? text : text["unix@".Length..];
            return true;
        }
        if (text.StartsWith("ring@", StringComparison.Ordinal) || text.StartsWith("tcp", StringComparison.Ordinal) || text.StartsWith("fd@", StringComparison.Ordinal))
        {
            line.Error($"log target '{text}' is not supported yet (use stdout, stderr, a UDP ADDR[:PORT] or a Unix datagram path)");
            return false;
        }
        string address = text;
        foreach (string prefix in (string[])["udp@", "udp4@", "udp6@"])
        {
            if (address.StartsWith(prefix, StringComparison.Ordinal)) address = address[prefix.Length..];
        }
        // The syslog port is implied when absent (HAProxy's default 514).
        if (!address.Contains(':') || address.EndsWith(']')) address += ":514";
        if (!AddressParser.TryParseServer(address, out IPEndPoint parsed, out string error))
        {
            line.Error(error);
            return false;
        }
        endpoint = parsed;
        return true;
    }
}
