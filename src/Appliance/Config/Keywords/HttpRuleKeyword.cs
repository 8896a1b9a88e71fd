using Appliance.Config.Model;
using Appliance.Config.Parsing;

namespace Appliance.Config.Keywords;

/// <summary>
/// <c>http-request ACTION … [if|unless CONDITION]</c> and <c>http-response ACTION …</c>: reads the
/// action's words into an immutable <see cref="HttpRuleAction"/>, then the optional condition (kept as
/// words, like <c>use_backend</c>'s). Only named defaults sections may hold rules (HAProxy 2.5+).
/// </summary>
internal static class HttpRuleKeyword
{
    public const string Arguments = "<action> [options...] [if|unless <condition>]";

    /// <summary>The actions implemented for requests, for messages and the keyword doc.</summary>
    public static IReadOnlyList<string> RequestActions { get; } =
        ["add-header", "allow", "del-header", "deny", "redirect", "replace-header", "replace-path", "return", "set-header", "set-path", "use-service"];

    public static IReadOnlyList<string> ResponseActions { get; } = ["add-header", "allow", "del-header", "replace-header", "set-header"];

    /// <summary>Actions that only feed logs: ignoring them (with a warning) changes nothing on the wire.</summary>
    private static readonly HashSet<string> LoggingOnly = new(StringComparer.Ordinal) { "capture", "set-log-level" };

    /// <summary>HAProxy's other actions: refused rather than ignored, since each would change the traffic.</summary>
    private static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal)
    {
        "add-acl", "auth", "cache-store", "cache-use", "del-acl", "del-map", "deny", "disable-l7-retry", "do-resolve",
        "early-hint", "normalize-uri", "redirect", "reject", "replace-path", "replace-pathq", "replace-uri",
        "replace-value", "return", "sc-add-gpc", "sc-inc-gpc", "sc-inc-gpc0", "sc-inc-gpc1", "sc-set-gpt",
        "sc-set-gpt0", "send-spoe-group", "set-dst", "set-dst-port", "set-map", "set-mark", "set-method",
        "set-nice", "set-pathq", "set-priority-class", "set-priority-offset", "set-query", "set-src",
        "set-src-port", "set-status", "set-timeout", "set-tos", "set-uri", "set-var", "set-var-fmt", "silent-drop",
        "strict-mode", "tarpit", "track-sc0", "track-sc1", "track-sc2", "unset-var", "wait-for-body",
        "wait-for-handshake",
    };

    public static void ParseRequest(KeywordLine line, ProxySection section) => Parse(line, section, section.HttpRequestRules, response: false);

    public static void ParseResponse(KeywordLine line, ProxySection section) => Parse(line, section, section.HttpResponseRules, response: true);

    /// <summary>
    /// The standalone <c>redirect</c> keyword (frontend, listen, backend): an <c>http-request redirect</c>
    /// that HAProxy runs after all of the proxy's <c>http-request</c> rules, wherever it is written.
    /// </summary>
    public static void ParseRedirect(KeywordLine line, ProxySection section)
    {
        var words = new RuleWords(line, RedirectWords.Synopsis);
        HttpRuleAction? parsed = RedirectWords.Parse(words);
        if (parsed is null) return;
        ConditionConfig? condition = null;
        if (words.Index < line.ArgumentCount)
        {
            condition = ConditionWords.Parse(line, words.Index);
            if (condition is null) return;
        }
        section.Redirects.Add(new HttpRule(parsed, condition, line.Location));
    }

    private static void Parse(KeywordLine line, ProxySection section, List<HttpRule> rules, bool response)
    {
        if (section.Kind == SectionKinds.Defaults && section.Name is null)
        {
            line.Error("not allowed in an anonymous defaults section (name the section; the proxies that inherit it run its rules first)");
            return;
        }
        if (line.ArgumentCount == 0)
        {
            line.Error($"missing action; usage: {line.Usage}");
            return;
        }
        string action = line.Argument(0);
        RuleWords? words = Words(line, action, response);
        if (words is null)
        {
            ReportUnknown(line, action, response);
            return;
        }
        HttpRuleAction? parsed = action switch
        {
            "set-header" or "add-header" => HeaderRuleWords.ParseSet(words, add: action == "add-header"),
            "del-header" => HeaderRuleWords.ParseDelete(words),
            "replace-header" => HeaderRuleWords.ParseReplace(words),
            "set-path" => HeaderRuleWords.ParseSetPath(words),
            "replace-path" => HeaderRuleWords.ParseReplacePath(words),
            "allow" => new AllowAction(),
            "deny" => HttpReplyWords.ParseDeny(words),
            "return" => HttpReplyWords.ParseReturn(words),
            "use-service" => ParseUseService(words),
            _ => RedirectWords.Parse(words),
        };
        if (parsed is null) return;

        ConditionConfig? condition = null;
        if (words.Index < line.ArgumentCount)
        {
            condition = ConditionWords.Parse(line, words.Index);
            if (condition is null) return;
        }
        if (rules.Count > 0 && rules[^1] is { Condition: null, Action.IsFinal: true } previous)
        {
            line.Warning($"unreachable: the previous '{line.Keyword} {previous.Action.Name}' rule (line {previous.Location.Line}) is final and has no condition");
        }
        rules.Add(new HttpRule(parsed, condition, line.Location));
    }

    /// <summary>The reader for an implemented action, with its synopsis; null for any other word.</summary>
    private static RuleWords? Words(KeywordLine line, string action, bool response)
    {
        if (!(response ? ResponseActions : RequestActions).Contains(action)) return null;
        string synopsis = action switch
        {
            "set-header" or "add-header" => HeaderRuleWords.SetSynopsis,
            "del-header" => HeaderRuleWords.DeleteSynopsis,
            "replace-header" => HeaderRuleWords.ReplaceSynopsis,
            "set-path" => HeaderRuleWords.SetPathSynopsis,
            "replace-path" => HeaderRuleWords.ReplacePathSynopsis,
            "deny" => HttpReplyWords.DenySynopsis,
            "return" => HttpReplyWords.ReturnSynopsis,
            "redirect" => RedirectWords.Synopsis,
            "use-service" => "prometheus-exporter",
            _ => "",
        };
        return new RuleWords(line, action, synopsis);
    }

    /// <summary><c>use-service prometheus-exporter</c>: the only service there is.</summary>
    private static HttpRuleAction? ParseUseService(RuleWords words)
    {
        if (!words.TryTakeOption(out string service))
        {
            words.Line.Error($"use-service: missing service name; usage: {words.Usage}");
            return null;
        }
        if (service != UseServiceAction.PrometheusExporter)
        {
            words.Line.Error($"use-service: unknown service '{service}' (supported: {UseServiceAction.PrometheusExporter})");
            return null;
        }
        return new UseServiceAction(service);
    }

    private static void ReportUnknown(KeywordLine line, string action, bool response)
    {
        // Parameterised actions are written "set-var(txn.x)": the name is what comes before '('.
        int parenthesis = action.IndexOf('(');
        string name = parenthesis > 0 ? action[..parenthesis] : action;
        if (LoggingOnly.Contains(name))
        {
            line.WarnOnce($"{line.Keyword} {name}", $"action '{name}': not implemented yet, ignored");
            return;
        }
        if (Unsupported.Contains(name))
        {
            line.Error($"action '{name}' is not supported yet in {line.Keyword} rules");
            return;
        }
        IReadOnlyList<string> supported = response ? ResponseActions : RequestActions;
        line.Error(KeywordSuggestion.WithSuggestion(
            $"unknown action '{action}' (supported: {string.Join(", ", supported)})", action, supported));
    }
}
