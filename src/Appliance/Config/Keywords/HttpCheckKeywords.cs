using Appliance.Config.Model;
using Appliance.Config.Parsing;

namespace Appliance.Config.Keywords;

/// <summary>
/// <c>option httpchk</c> and the <c>http-check</c> family: what the HTTP health check of a backend sends
/// and expects. Allowed where HAProxy allows them (defaults, backend, listen; a frontend only gets a
/// warning). See <see cref="HttpCheckRules"/> for how a backend inherits them.
/// </summary>
internal static class HttpCheckKeywords
{
    private const SectionKinds DefaultsBackend = SectionKinds.Defaults | SectionKinds.Backend;

    public static IEnumerable<KeywordSpec<ProxySection>> Specs()
    {
        yield return new("option httpchk", DefaultsBackend, KeywordStatus.Implemented, "[[<method>] <uri> [<version>]]",
            "check servers with an HTTP request (default OPTIONS / HTTP/1.0) instead of a TCP connect", ParseOptionHttpChk);
        yield return new("http-check connect", DefaultsBackend, KeywordStatus.Implemented, "[default] [port <port>] [linger] [comment <msg>]",
            "the check's connection (first step)", ParseConnect);
        yield return new("http-check send", DefaultsBackend, KeywordStatus.Implemented,
            "[meth <method>] [uri <uri>] [ver <version>] [hdr <name> <value>]... [body <string>] [comment <msg>]",
            "the check's request, merged with option httpchk", HttpCheckSendKeyword.Parse);
        yield return new("http-check expect", DefaultsBackend, KeywordStatus.Implemented,
            "[comment <msg>] [!] status <codes>|rstatus <regex>|string <text>|rstring <regex>",
            "a condition on the response; all must hold (default: status 200-399)", HttpCheckExpectKeyword.Parse);
        yield return new("http-check comment", DefaultsBackend, KeywordStatus.Implemented, "<msg>",
            "a note in the rule list (no effect on the check)", ParseComment);
        yield return new("http-check disable-on-404", DefaultsBackend, KeywordStatus.Ignored, "", "not implemented yet");
        yield return new("http-check send-state", DefaultsBackend, KeywordStatus.Ignored, "", "not implemented yet");
    }

    /// <summary>
    /// The rule set this section's <c>http-check</c> lines add to: its own, started afresh (keeping whether
    /// <c>option httpchk</c> applies) the first time the section writes one, as HAProxy gives each section
    /// its own rule list. The caller stores the updated rules in the section's settings.
    /// </summary>
    public static HttpCheckRules OwnRules(ProxySection section)
    {
        var rules = section.Settings.HttpCheck;
        if (section.HasOwnHttpCheckRules) return rules;
        section.HasOwnHttpCheckRules = true;
        return HttpCheckRules.Fresh(rules.Enabled);
    }

    /// <summary>Same, for an <c>http-check</c> rule line, which is remembered if it is the section's first.</summary>
    public static HttpCheckRules OwnRules(ProxySection section, KeywordLine line)
    {
        var rules = OwnRules(section);
        return rules.FirstRuleLocation is not null
            ? rules
            : rules with { FirstRuleLocation = line.Location, FirstRuleSection = line.Section, FirstRuleKeyword = line.Keyword };
    }

    /// <summary>
    /// <c>option httpchk</c>, <c>option httpchk URI</c>, <c>option httpchk METHOD URI</c> or
    /// <c>option httpchk METHOD URI VERSION</c>. The old way of adding headers and a body after the version
    /// (<c>HTTP/1.1\r\nHost:\ example.com</c>) still works, with HAProxy's deprecation warning.
    /// </summary>
    private static void ParseOptionHttpChk(KeywordLine line, ProxySection section)
    {
        if (!line.HasArguments(0, 3)) return;
        string? method = null, uri = null, version = null;
        switch (line.ArgumentCount)
        {
            case 1:
                uri = line.Argument(0);
                break;
            case 2:
                method = line.Argument(0);
                uri = line.Argument(1);
                break;
            case 3:
                method = line.Argument(0);
                uri = line.Argument(1);
                version = line.Argument(2);
                break;
        }

        var headers = new List<HttpCheckHeader>();
        string? body = null;
        if (version is not null && version.Contains("\r\n", StringComparison.Ordinal))
        {
            if (!TrySplitLegacyVersion(line, ref version, headers, out body)) return;
            line.Warning("headers or a body after the version are deprecated; write them with 'http-check send hdr <name> <value>' and 'body <string>'");
        }
        if (method is not null && !HttpCheckText.IsToken(method))
        {
            line.Error($"invalid method '{method}' (expected a token such as GET, HEAD or OPTIONS)");
            return;
        }
        if (uri is not null && !HttpCheckText.IsRequestTarget(uri))
        {
            line.Error($"invalid URI '{uri}' (spaces and control characters are not allowed)");
            return;
        }
        if (version is not null && !HttpCheckText.IsVersion(version))
        {
            line.Error($"invalid HTTP version '{version}' (expected HTTP/1.0 or HTTP/1.1)");
            return;
        }

        var parts = new HttpCheckRequestParts(method, uri, version, new ValueList<HttpCheckHeader>(headers), body);
        var rules = OwnRules(section);
        // HAProxy: a later option httpchk replaces an earlier one whole, but merges into an explicit send.
        var request = rules.SendLocation is null ? parts : parts.Over(rules.Request);
        section.Settings = section.Settings with { HttpCheck = rules with { Enabled = true, Request = request } };
    }

    /// <summary>Splits <c>VERSION\r\nName: value\r\n…\r\n\r\nBODY</c> into its parts.</summary>
    private static bool TrySplitLegacyVersion(KeywordLine line, ref string version, List<HttpCheckHeader> headers, out string? body)
    {
        body = null;
        string head = version;
        int bodyStart = version.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (bodyStart >= 0)
        {
            head = version[..bodyStart];
            body = version[(bodyStart + 4)..];
        }
        int firstBreak = head.IndexOf("\r\n", StringComparison.Ordinal);
        version = firstBreak < 0 ? head : head[..firstBreak];
        if (firstBreak < 0) return true;
        foreach (string field in head[(firstBreak + 2)..].Split("\r\n"))
        {
            int colon = field.IndexOf(':', StringComparison.Ordinal);
            string name = colon < 0 ? field : field[..colon];
            string value = colon < 0 ? "" : field[(colon + 1)..].Trim(' ', '\t');
            if (colon < 0 || !HttpCheckText.IsToken(name) || !HttpCheckText.IsFieldValue(value))
            {
                line.Error($"invalid header line '{field}' after the version (expected 'Name: value')");
                return false;
            }
            headers.Add(new HttpCheckHeader(name, value));
        }
        return true;
    }

    /// <summary><c>http-check connect [default] [port N] [linger] [comment MSG]</c>; TLS, PROXY protocol and other addresses are refused.</summary>
    private static void ParseConnect(KeywordLine line, ProxySection section)
    {
        var rules = OwnRules(section, line);
        if (rules.LastStep != HttpCheckStep.None)
        {
            line.Error(rules.LastStep == HttpCheckStep.Connect
                ? "only one connection per check is supported yet (a second 'http-check connect')"
                : "'http-check connect' must come before 'http-check send' and 'http-check expect'");
            return;
        }
        bool useDefaults = false, linger = false;
        int? port = null;
        for (int i = 0; i < line.ArgumentCount; i++)
        {
            string word = line.Argument(i);
            switch (word)
            {
                case "default":
                    useDefaults = true;
                    break;
                case "linger":
                    linger = true;
                    break;
                case "port" or "comment" when i + 1 >= line.ArgumentCount:
                    line.Error($"'{word}' needs a value");
                    return;
                case "port":
                    if (!Values.IntegerValue.TryParse(line.Argument(++i), 1, 65535, out int value, out string error))
                    {
                        line.Error($"'port': {error}");
                        return;
                    }
                    port = value;
                    break;
                case "comment":
                    i++;
                    break;
                case "addr" or "send-proxy" or "via-socks4" or "ssl" or "sni" or "alpn" or "proto":
                    line.Error($"option '{word}' is not supported yet");
                    return;
                default:
                    line.Error(KeywordSuggestion.WithSuggestion(
                        $"unknown option '{word}' (expected default, port <port>, linger or comment <msg>)", word,
                        ["default", "port", "linger", "comment"]));
                    return;
            }
        }
        section.Settings = section.Settings with
        {
            HttpCheck = rules with
            {
                ConnectPort = port,
                ConnectWithoutDefaults = !useDefaults,
                ConnectLinger = linger,
                LastStep = HttpCheckStep.Connect,
            },
        };
    }

    /// <summary><c>http-check comment MSG</c>: HAProxy shows it in check reports; here it only takes its place in the rule list.</summary>
    private static void ParseComment(KeywordLine line, ProxySection section)
    {
        if (!line.HasArguments(1, 1)) return;
        section.Settings = section.Settings with { HttpCheck = OwnRules(section, line) };
    }
}
