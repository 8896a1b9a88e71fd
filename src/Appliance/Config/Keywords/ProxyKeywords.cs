using Appliance.Config.Model;
using Appliance.Config.Parsing;

namespace Appliance.Config.Keywords;

/// <summary>
/// Keywords of <c>defaults</c>, <c>frontend</c>, <c>backend</c> and <c>listen</c> sections, with the
/// sections HAProxy's keyword matrix allows each in.
/// </summary>
internal static class ProxyKeywords
{
    private const SectionKinds All = SectionKinds.AllProxies;
    private const SectionKinds DefaultsFrontend = SectionKinds.Defaults | SectionKinds.Frontend;
    private const SectionKinds DefaultsBackend = SectionKinds.Defaults | SectionKinds.Backend;
    private const SectionKinds FrontendBackend = SectionKinds.Frontend | SectionKinds.Backend;

    public static KeywordTable<ProxySection> Table { get; } = new(Build());

    private static IEnumerable<KeywordSpec<ProxySection>> Build()
    {
        yield return new("mode", All, KeywordStatus.Implemented, "tcp|http", "proxy mode (default tcp)", ParseMode);
        yield return new("bind", SectionKinds.Frontend, KeywordStatus.Implemented, "<addr>:<port>[,...] [options...]",
            "listening addresses", BindKeyword.Parse);
        yield return new("default_backend", DefaultsFrontend, KeywordStatus.Implemented, "<backend>",
            "backend used when no use_backend rule matches", ParseDefaultBackend);
        yield return new("use_backend", SectionKinds.Frontend, KeywordStatus.Implemented, "<backend> [if|unless <condition>]",
            "switch to a backend when the condition holds (first match wins)", UseBackendKeyword.Parse);
        yield return new("acl", All, KeywordStatus.Implemented, "<name> <fetch> [flags] [values...]",
            "named condition (kept as words for the HTTP mode)", AclKeyword.Parse);
        yield return new("maxconn", DefaultsFrontend, KeywordStatus.Implemented, "<number>",
            "frontend connection limit (0 = global maxconn)", ParseMaxConn);
        yield return new("balance", DefaultsBackend, KeywordStatus.Implemented,
            "roundrobin|static-rr|leastconn|first|source|random", "load-balancing algorithm (default roundrobin)", ParseBalance);
        yield return new("server", SectionKinds.Backend, KeywordStatus.Implemented, "<name> <addr>:<port> [options...]",
            "a backend server; see the server options table", ServerKeyword.ParseServer) { MisplacedIsError = true };
        yield return new("default-server", DefaultsBackend, KeywordStatus.Implemented, "[options...]",
            "options applied to the servers that follow", ServerKeyword.ParseDefaultServer) { MisplacedIsError = true };
        yield return new("retries", DefaultsBackend, KeywordStatus.Implemented, "<number>",
            $"connection retries to a server (default {BackendConfig.DefaultRetries})", ParseRetries);
        yield return new("option redispatch", DefaultsBackend, KeywordStatus.Implemented, "",
            "retry on another server after a failed connection (no option redispatch turns it off)", ParseRedispatch)
        { Negatable = true };

        yield return new("retry-on", DefaultsBackend, KeywordStatus.Implemented,
            "none|conn-failure|empty-response|junk-response|response-timeout|404|408|425|500|501|502|503|504|all-retryable-errors ...",
            "which failures are retried (default conn-failure; after sending, only bodiless idempotent requests)", ParseRetryOn);
        yield return new("option forwardfor", All, KeywordStatus.Implemented, "[except <network>] [header <name>] [if-none]",
            "add the client address to requests (X-Forwarded-For)", ParseForwardFor)
        { Negatable = true };

        yield return new("http-request", All, KeywordStatus.Implemented, HttpRuleKeyword.Arguments,
            "request rule (frontend's, then backend's); actions: " + string.Join(", ", HttpRuleKeyword.RequestActions) +
            "; in a defaults section only when it is named", HttpRuleKeyword.ParseRequest);
        yield return new("http-response", All, KeywordStatus.Implemented, HttpRuleKeyword.Arguments,
            "response rule (backend's, then frontend's); actions: " + string.Join(", ", HttpRuleKeyword.ResponseActions) +
            "; in a defaults section only when it is named", HttpRuleKeyword.ParseResponse);
        yield return new("redirect", FrontendBackend, KeywordStatus.Implemented, RedirectWords.Synopsis + " [if|unless <condition>]",
            "redirect rule; runs after the proxy's http-request rules (same options as http-request redirect)", HttpRuleKeyword.ParseRedirect);
        yield return new("errorfile", All, KeywordStatus.Implemented, "<code> <file>",
            "whole HTTP response sent instead of the proxy's own page for that status (read at load time)", ErrorFileKeyword.Parse);

        yield return new("log", All, KeywordStatus.Implemented, LogKeyword.Arguments,
            "traffic log target of a frontend ('log global': the global section's targets; 'no log' drops inherited ones)", LogKeyword.ParseProxy)
        { Negatable = true };
        yield return new("option httplog", All, KeywordStatus.Implemented, "",
            "log HTTP requests in HAProxy's httplog format (one line per request)", ParseHttpLog)
        { Negatable = true };
        yield return new("option tcplog", All, KeywordStatus.Implemented, "",
            "log connections in HAProxy's tcplog format (one line per connection)", ParseTcpLog)
        { Negatable = true };
        yield return new("log-format", All, KeywordStatus.Implemented, "<format>",
            "custom log line (HAProxy's %-variables: %ci %cp %fi %fp %f %ft %b %s %t %tr %Ts %T %TR %Tw %Tc %Tr %Ta %Tt %Tq %ST %B %CC %CS %ts %tsc %ac %fc %bc %sc %rc %sq %bq %r %HM %HU %HV %pid %H %m; %{+Q} quotes)",
            ParseLogFormat);
        yield return new("option idle-close-on-response", DefaultsFrontend, KeywordStatus.Implemented, "",
            "on reload, idle keep-alive connections are not closed: each waits for its next request, answered with Connection: close (or for timeout http-keep-alive)",
            ParseIdleCloseOnResponse)
        { Negatable = true };
        foreach (var (name, mode, description) in ConnectionModes)
        {
            yield return new(name, All, KeywordStatus.Implemented, "", description, (line, section) => ParseConnectionMode(line, section, mode))
            { Negatable = true };
        }
        yield return new("option tcp-smart-accept", DefaultsFrontend, KeywordStatus.Implemented, "",
            "no kernel ACK of the request before the answer (quick ACKs off on the listener; on by default in HTTP mode)", ParseSmartAccept)
        { Negatable = true };
        yield return new("option tcp-smart-connect", DefaultsBackend, KeywordStatus.Implemented, "",
            "the last ACK of the connect handshake travels with the request (quick ACKs off on server sockets)", ParseSmartConnect)
        { Negatable = true };
        yield return new("http-reuse", DefaultsBackend, KeywordStatus.Implemented, "never|safe|aggressive|always",
            "which requests may take an idle server connection another client connection used (default safe)", ParseHttpReuse);
        yield return new("option dontlognull", All, KeywordStatus.Implemented, "",
            "do not log connections that carried no data (or, in HTTP, no request)", ParseDontLogNull)
        { Negatable = true };
        foreach (var stats in StatsKeywords.Specs()) yield return stats;
        foreach (var timeout in TimeoutKeywords.Specs) yield return timeout;
        foreach (var check in HttpCheckKeywords.Specs()) yield return check;

        yield return new("server-template", SectionKinds.Backend, KeywordStatus.Unsupported, "<prefix> <num> <fqdn>:<port> [options...]",
            "needs DNS resolution") { MisplacedIsError = true };
        yield return new("use-server", SectionKinds.Backend, KeywordStatus.Unsupported, "<server> if|unless <condition>", "server switching rules");
        yield return new("dispatch", SectionKinds.Backend, KeywordStatus.Unsupported, "<addr>:<port>", "legacy single-server backend");
        yield return new("use-fcgi-app", SectionKinds.Backend, KeywordStatus.Unsupported, "<name>", "FastCGI");
        yield return new("transparent", DefaultsBackend, KeywordStatus.Unsupported, "", "transparent proxying");
        yield return new("disabled", All, KeywordStatus.Unsupported, "", "disabling a proxy");

        foreach (var name in IgnoredKeywords.Proxy)
        {
            yield return new(name, All, KeywordStatus.Ignored, "...", "not implemented yet") { Negatable = true };
        }
        foreach (var name in IgnoredKeywords.ProxyOptions)
        {
            yield return new("option " + name, All, KeywordStatus.Ignored, "...", "not implemented yet") { Negatable = true };
        }
    }

    private static void ParseHttpLog(KeywordLine line, ProxySection section)
    {
        if (line.ArgumentCount == 1 && line.Argument(0) == "clf")
        {
            line.Error("'clf' (Common Log Format) is not supported yet");
            return;
        }
        if (line.HasArguments(0, 0)) SetLogOption(section, LogOption.Http, line.Negated);
    }

    private static void ParseTcpLog(KeywordLine line, ProxySection section)
    {
        if (line.HasArguments(0, 0)) SetLogOption(section, LogOption.Tcp, line.Negated);
    }

    private static void ParseLogFormat(KeywordLine line, ProxySection section)
    {
        if (!line.HasArguments(1, int.MaxValue)) return;
        // HAProxy wants the format quoted; unquoted words are joined with single spaces.
        string format = string.Join(' ', line.ArgumentsFrom(0));
        if (Logging.LogFormat.Parse(format, out string? error) is null)
        {
            line.Error(error!);
            return;
        }
        section.Settings = section.Settings with { LogFormat = format };
    }

    /// <summary>The last of httplog/tcplog/log-format wins; 'no option X' only undoes X.</summary>
    private static void SetLogOption(ProxySection section, LogOption option, bool negated)
    {
        if (!negated) section.Settings = section.Settings with { LogOption = option, LogFormat = null };
        else if (section.Settings.LogOption == option) section.Settings = section.Settings with { LogOption = LogOption.Default };
    }

    private static void ParseIdleCloseOnResponse(KeywordLine line, ProxySection section)
    {
        if (line.HasArguments(0, 0)) section.Settings = section.Settings with { IdleCloseOnResponse = !line.Negated };
    }

    private static void ParseDontLogNull(KeywordLine line, ProxySection section)
    {
        if (line.HasArguments(0, 0)) section.Settings = section.Settings with { DontLogNull = !line.Negated };
    }

    private static void ParseMode(KeywordLine line, ProxySection section)
    {
        if (!line.HasArguments(1, 1)) return;
        switch (line.Argument(0))
        {
            case "tcp":
                section.Settings = section.Settings with { Mode = ProxyMode.Tcp, ModeWritten = true };
                break;
            case "http":
                section.Settings = section.Settings with { Mode = ProxyMode.Http, ModeWritten = true };
                break;
            default:
                line.Error(KeywordSuggestion.WithSuggestion(
                    $"unknown mode '{line.Argument(0)}' (expected tcp or http)", line.Argument(0), ["tcp", "http"]));
                break;
        }
    }

    private static void ParseDefaultBackend(KeywordLine line, ProxySection section)
    {
        if (!line.HasArguments(1, 1)) return;
        section.Settings = section.Settings with { DefaultBackend = new BackendReference(line.Argument(0), line.Location, section.DisplayName) };
        section.HasOwnDefaultBackend = true;
    }

    private static void ParseMaxConn(KeywordLine line, ProxySection section)
    {
        if (line.HasArguments(1, 1) && line.TryInteger(0, 0, int.MaxValue, out int value))
        {
            section.Settings = section.Settings with { MaxConn = value };
        }
    }

    private static void ParseRetries(KeywordLine line, ProxySection section)
    {
        if (line.HasArguments(1, 1) && line.TryInteger(0, 0, int.MaxValue, out int value))
        {
            section.Settings = section.Settings with { Retries = value };
        }
    }

    private static void ParseRetryOn(KeywordLine line, ProxySection section)
    {
        if (!line.HasArguments(1, 32)) return;
        var conditions = RetryOnConditions.None;
        for (int i = 0; i < line.ArgumentCount; i++)
        {
            string word = line.Argument(i);
            RetryOnConditions? condition = word switch
            {
                "none" => RetryOnConditions.None,
                "conn-failure" => RetryOnConditions.ConnectionFailure,
                "empty-response" => RetryOnConditions.EmptyResponse,
                "junk-response" => RetryOnConditions.JunkResponse,
                "response-timeout" => RetryOnConditions.ResponseTimeout,
                "404" => RetryOnConditions.Status404,
                "408" => RetryOnConditions.Status408,
                "425" => RetryOnConditions.Status425,
                "500" => RetryOnConditions.Status500,
                "501" => RetryOnConditions.Status501,
                "502" => RetryOnConditions.Status502,
                "503" => RetryOnConditions.Status503,
                "504" => RetryOnConditions.Status504,
                "all-retryable-errors" => RetryOnConditions.AllRetryableErrors,
                _ => null,
            };
            if (condition is null)
            {
                line.Error(KeywordSuggestion.WithSuggestion($"unknown retry-on condition '{word}'", word,
                    ["none", "conn-failure", "empty-response", "junk-response", "response-timeout", "all-retryable-errors"]));
                return;
            }
            if (word == "none" && line.ArgumentCount > 1)
            {
                line.Error("'none' cannot be combined with other conditions");
                return;
            }
            conditions |= condition.Value;
        }
        section.Settings = section.Settings with { RetryOn = conditions };
    }

    private static void ParseForwardFor(KeywordLine line, ProxySection section)
    {
        if (line.Negated)
        {
            if (line.HasArguments(0, 0)) section.Settings = section.Settings with { ForwardFor = null };
            return;
        }
        System.Net.IPNetwork? except = null;
        string header = ForwardForConfig.DefaultHeader;
        bool ifNone = false;
        for (int i = 0; i < line.ArgumentCount; i++)
        {
            string word = line.Argument(i);
            if (word == "if-none")
            {
                ifNone = true;
            }
            else if ((word == "except" || word == "header") && i + 1 < line.ArgumentCount)
            {
                string value = line.Argument(++i);
                if (word == "header")
                {
                    header = value;
                }
                else if (System.Net.IPNetwork.TryParse(value.Contains('/') ? value : value + (value.Contains(':') ? "/128" : "/32"), out var network))
                {
                    except = network;
                }
                else
                {
                    line.Error($"invalid network '{value}' after 'except' (expected ADDRESS[/PREFIX])");
                    return;
                }
            }
            else
            {
                line.Error($"unexpected '{word}' (expected except <network>, header <name> or if-none)");
                return;
            }
        }
        section.Settings = section.Settings with { ForwardFor = new ForwardForConfig(except, header, ifNone) };
    }

    // A property, not a field: the keyword table, a static initialised earlier in this file, reads it.
    private static (string Name, HttpConnectionMode Mode, string Description)[] ConnectionModes =>
    [
        ("option http-keep-alive", HttpConnectionMode.KeepAlive, "keep-alive on both sides (the default)"),
        ("option http-server-close", HttpConnectionMode.ServerClose,
            "the server connection closes after each response (Connection: close to the server); the client is kept alive"),
        ("option httpclose", HttpConnectionMode.Close, "both connections close after each response, each told Connection: close"),
    ];

    /// <summary>
    /// The three options set one mode; the last one written wins. <c>no option X</c> goes back to
    /// keep-alive when X is the mode in force, as HAProxy does.
    /// </summary>
    private static void ParseConnectionMode(KeywordLine line, ProxySection section, HttpConnectionMode mode)
    {
        if (!line.HasArguments(0, 0)) return;
        if (!line.Negated) section.Settings = section.Settings with { ConnectionMode = mode };
        else if (section.Settings.ConnectionMode == mode) section.Settings = section.Settings with { ConnectionMode = HttpConnectionMode.KeepAlive };
    }

    private static void ParseSmartAccept(KeywordLine line, ProxySection section)
    {
        if (line.HasArguments(0, 0)) section.Settings = section.Settings with { SmartAccept = !line.Negated };
    }

    private static void ParseSmartConnect(KeywordLine line, ProxySection section)
    {
        if (line.HasArguments(0, 0)) section.Settings = section.Settings with { SmartConnect = !line.Negated };
    }

    private static void ParseHttpReuse(KeywordLine line, ProxySection section)
    {
        if (!line.HasArguments(1, 1)) return;
        HttpReuseMode? mode = line.Argument(0) switch
        {
            "never" => HttpReuseMode.Never,
            "safe" => HttpReuseMode.Safe,
            "aggressive" => HttpReuseMode.Aggressive,
            "always" => HttpReuseMode.Always,
            _ => null,
        };
        if (mode is null)
        {
            line.Error($"unknown mode '{line.Argument(0)}' (expected never, safe, aggressive or always)");
            return;
        }
        section.Settings = section.Settings with { HttpReuse = mode.Value };
    }

    private static void ParseRedispatch(KeywordLine line, ProxySection section)
    {
        if (line.HasArguments(0, 0)) section.Settings = section.Settings with { Redispatch = !line.Negated };
    }

    private static void ParseBalance(KeywordLine line, ProxySection section)
    {
        if (!line.HasArguments(1, int.MaxValue)) return;
        if (BalanceAlgorithmName.TryParse(line, out var algorithm)) section.Settings = section.Settings with { Balance = algorithm };
    }
}
