using System.Collections.Immutable;
using System.Text;
using Appliance.Config;
using Appliance.Config.Model;
using Appliance.Http;
using Appliance.Routing;
using Appliance.Routing.Acls;
using Appliance.Routing.Maps;
using Appliance.Routing.Patterns;
using Appliance.Routing.Samples;

namespace Appliance.Rules;

/// <summary>
/// Compiles a proxy's <c>http-request</c> / <c>http-response</c> rules and <c>errorfile</c> pages into
/// an <see cref="HttpRuleSet"/>: conditions through the shared <see cref="ConditionCompiler"/> (over
/// the section's ACLs), values into log-format templates, fixed responses into bytes. Every error is
/// reported at once, never thrown. One instance per configuration load (it compiles each inherited
/// defaults section once for all the proxies using it); load time only, off the data path.
/// </summary>
public sealed class HttpRulesCompiler
{
    private readonly MapRegistry _maps;
    private readonly Metrics.MetricsEndpoint _metrics;
    private readonly Dictionary<DefaultsHttpRules, CompiledDefaults> _defaults = new();

    /// <param name="maps">The configuration generation's map files, shared with routing.</param>
    /// <param name="metrics">Where <c>use-service prometheus-exporter</c> finds the exporter once a worker runs.</param>
    internal HttpRulesCompiler(MapRegistry maps, Metrics.MetricsEndpoint? metrics = null)
    {
        _maps = maps;
        _metrics = metrics ?? new Metrics.MetricsEndpoint();
    }

    public HttpRulesCompiler(MapRegistry maps) : this(maps, null)
    {
    }

    public HttpRulesCompilation Compile(FrontendConfig frontend)
    {
        var diagnostics = new List<ConfigDiagnostic>();
        var acls = NamedAclCompiler.Compile(frontend.Name, frontend.Acls, _maps, diagnostics);
        return Compile(ProxyRulesSource.Of(frontend), acls, diagnostics);
    }

    /// <summary>Compiles a backend's rules; of its ACLs, only those its rules name are compiled (see <see cref="UsedAcls"/>).</summary>
    public HttpRulesCompilation Compile(BackendConfig backend)
    {
        var diagnostics = new List<ConfigDiagnostic>();
        var acls = NamedAclCompiler.Compile(backend.Name, UsedAcls(backend.Acls, backend.HttpRequestRules, backend.HttpResponseRules), _maps, diagnostics);
        return Compile(ProxyRulesSource.Of(backend), acls, diagnostics);
    }

    /// <summary>
    /// The ACL lines the rules' conditions name. Backend and defaults sections had no use for ACLs
    /// before they had rules; compiling only what a rule uses keeps an unused line with a fetch this
    /// proxy lacks from failing a configuration that loaded before.
    /// </summary>
    internal static IEnumerable<AclConfig> UsedAcls(ValueList<AclConfig> acls, ValueList<HttpRule> request, ValueList<HttpRule> response)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (HttpRule rule in request.Concat(response))
        {
            if (rule.Condition is not null) names.UnionWith(Config.Keywords.ConditionWords.AclNames(rule.Condition));
        }
        return acls.Where(acl => names.Contains(acl.Name));
    }

    /// <summary>
    /// Same, with the section's ACLs already compiled (shared with its route table); the result holds
    /// <paramref name="diagnostics"/> followed by the rules' own, and no set when any is an error.
    /// </summary>
    internal HttpRulesCompilation Compile(ProxyRulesSource proxy, IReadOnlyDictionary<string, NamedAcl> acls, List<ConfigDiagnostic> diagnostics)
    {
        // TCP proxies never run HTTP rules (the validator warned about any); their errorfiles are unused too.
        if (proxy.Mode != ProxyMode.Http) return new HttpRulesCompilation(HttpRuleSet.Empty, [.. diagnostics]);

        ErrorPages pages = CompileErrorFiles(proxy, diagnostics);
        CompiledDefaults? inherited = proxy.Defaults is null ? null : CompileDefaults(proxy.Defaults, diagnostics);
        var conditions = new ConditionCompiler(acls, _maps);
        var request = new List<CompiledRule>(inherited?.Request ?? []);
        var response = new List<CompiledRule>(inherited?.Response ?? []);
        CompileRules(proxy.RequestRules, proxy.Name, conditions, isRequest: true, request, diagnostics);
        CompileRules(proxy.ResponseRules, proxy.Name, conditions, isRequest: false, response, diagnostics);

        bool failed = inherited is { Failed: true } || diagnostics.Exists(d => !d.IsWarning);
        HttpRuleSet? rules = failed ? null : new HttpRuleSet(proxy.Name, [.. request], [.. response], pages);
        return new HttpRulesCompilation(rules, [.. diagnostics]);
    }

    /// <summary>A defaults section's rules, over its own ACLs, compiled (and reported) once.</summary>
    private CompiledDefaults CompileDefaults(DefaultsHttpRules defaults, List<ConfigDiagnostic> diagnostics)
    {
        if (_defaults.TryGetValue(defaults, out CompiledDefaults? known)) return known;
        var own = new List<ConfigDiagnostic>();
        var acls = NamedAclCompiler.Compile(defaults.Name, UsedAcls(defaults.Acls, defaults.RequestRules, defaults.ResponseRules), _maps, own);
        var conditions = new ConditionCompiler(acls, _maps);
        var request = new List<CompiledRule>();
        var response = new List<CompiledRule>();
        CompileRules(defaults.RequestRules, defaults.Name, conditions, isRequest: true, request, own);
        CompileRules(defaults.ResponseRules, defaults.Name, conditions, isRequest: false, response, own);
        diagnostics.AddRange(own);
        var compiled = new CompiledDefaults([.. request], [.. response], own.Exists(d => !d.IsWarning));
        _defaults.Add(defaults, compiled);
        return compiled;
    }

    private static ErrorPages CompileErrorFiles(ProxyRulesSource proxy, List<ConfigDiagnostic> diagnostics)
    {
        if (proxy.ErrorFiles.Count == 0) return ErrorPages.None;
        var pages = new Dictionary<int, byte[]>();
        foreach (ErrorFileConfig file in proxy.ErrorFiles)
        {
            byte[] content = [.. file.Content.Items];
            string? problem = HttpResponseFile.Check(content);
            if (problem is not null)
            {
                diagnostics.Add(new ConfigDiagnostic(file.Location, proxy.Name, "errorfile", $"'{file.Path}' is not a valid HTTP response: {problem}"));
                continue;
            }
            // Later lines win: a proxy's own after its defaults section's.
            pages[file.Status] = content;
        }
        return new ErrorPages(pages.Select(p => (p.Key, p.Value)));
    }

    private void CompileRules(ValueList<HttpRule> rules, string section, ConditionCompiler conditions, bool isRequest,
        List<CompiledRule> compiled, List<ConfigDiagnostic> diagnostics)
    {
        string keyword = isRequest ? "http-request" : "http-response";
        SampleScope visible = isRequest ? SampleScope.RequestRules : SampleScope.ResponseRules;
        foreach (HttpRule rule in rules)
        {
            var errors = new List<string>();
            var warnings = new List<string>();
            Condition? condition = rule.Condition is null ? null : conditions.TryCompile(rule.Condition, rule.Location, errors, warnings, visible);
            CompiledRule? result = CompileAction(rule, condition, visible, errors);
            foreach (string message in errors) diagnostics.Add(new ConfigDiagnostic(rule.Location, section, keyword, $"{rule.Action.Name}: {message}"));
            foreach (string message in warnings) diagnostics.Add(new ConfigDiagnostic(rule.Location, section, keyword, message, IsWarning: true));
            if (result is not null && errors.Count == 0) compiled.Add(result);
        }
    }

    private CompiledRule? CompileAction(HttpRule rule, Condition? condition, SampleScope visible, List<string> errors)
    {
        SourceLocation at = rule.Location;
        switch (rule.Action)
        {
            case SetHeaderAction set:
                return Value(set.Value, at, visible, errors, HeaderValue) is { } setValue
                    ? new SetHeaderRule(condition, at, Encoding.ASCII.GetBytes(set.Header), setValue, add: false)
                    : null;
            case AddHeaderAction add:
                return Value(add.Value, at, visible, errors, HeaderValue) is { } addValue
                    ? new SetHeaderRule(condition, at, Encoding.ASCII.GetBytes(add.Header), addValue, add: true)
                    : null;
            case DeleteHeaderAction delete:
                RegexPattern? nameRegex = null;
                if (delete.Match == HeaderNameMatch.Regex)
                {
                    // Field names are case-insensitive, so the regex is too.
                    nameRegex = RegexPattern.TryCreate(delete.Header, ignoreCase: true, 0, out string? regexError);
                    if (nameRegex is null)
                    {
                        errors.Add(regexError!);
                        return null;
                    }
                }
                return new DeleteHeaderRule(condition, at, RoutingText.Bytes(delete.Header), delete.Match, nameRegex);
            case ReplaceHeaderAction replace:
                if (ValueRegex(replace.Pattern, errors) is not { } pattern) return null;
                return Value(replace.Replacement, at, visible, errors, HeaderValue) is { } replacement
                    ? new ReplaceHeaderRule(condition, at, Encoding.ASCII.GetBytes(replace.Header), pattern, replacement,
                        RegexReplacement.ReferencesGroups(replace.Replacement))
                    : null;
            case ReplacePathAction replacePath:
                if (ValueRegex(replacePath.Pattern, errors) is not { } pathPattern) return null;
                return Value(replacePath.Replacement, at, visible, errors, PathReplacement) is { } pathReplacement
                    ? new ReplacePathRule(condition, at, replacePath.Pattern, pathPattern, pathReplacement, RegexReplacement.ReferencesGroups(replacePath.Replacement))
                    : null;
            case SetPathAction setPath:
                return Value(setPath.Path, at, visible, errors, PathValue) is { } path ? new SetPathRule(condition, at, path) : null;
            case AllowAction:
                return new AllowRule(condition, at);
            case UseServiceAction:
                return new UseServiceRule(condition, at, _metrics);
            case DenyAction deny:
                return Reply(RuleVerdict.Deny, deny.Reply, condition, at, errors);
            case ReturnAction answer:
                return Reply(RuleVerdict.Return, answer.Reply, condition, at, errors);
            case RedirectAction redirect:
                return Value(redirect.Target, at, visible, errors, HeaderValue) is { } target
                    ? new RedirectRule(condition, at, redirect, target)
                    : null;
            default:
                errors.Add("not supported by the rules engine");
                return null;
        }
    }

    private static ReplyRule? Reply(RuleVerdict verdict, HttpReplyConfig reply, Condition? condition, SourceLocation at, List<string> errors)
    {
        byte[] content = [.. reply.Content.Items];
        switch (reply.BodyKind)
        {
            case HttpReplyBodyKind.ProxyErrorPage:
                return new ReplyRule(condition, at, verdict, reply.Status, null);
            case HttpReplyBodyKind.ErrorFile:
                string? problem = HttpResponseFile.Check(content);
                if (problem is not null)
                {
                    errors.Add($"'{reply.SourceFile}' is not a valid HTTP response: {problem}");
                    return null;
                }
                return new ReplyRule(condition, at, verdict, reply.Status, content);
            default:
                var headers = reply.Headers.Select(h => (h.Name, h.Value));
                return new ReplyRule(condition, at, verdict, reply.Status, HttpReplyBuilder.Build(reply.Status, headers, reply.ContentType, content));
        }
    }

    /// <summary>
    /// Compiles a log-format value. Fetches must read what the rule can see (an <c>http-response</c>
    /// value cannot read the request), and the literal text must be valid where the value goes.
    /// </summary>
    private LogFormat? Value(string text, SourceLocation at, SampleScope visible, List<string> errors, Func<byte[], string?> checkLiteral)
    {
        LogFormat? format = LogFormat.TryParse(text, $"'{text}'", expression =>
        {
            SampleExpression? compiled = RouteTableCompiler.CompileSampleExpression(expression, at, _maps, errors, forRules: true);
            if (compiled is null || (compiled.Fetch.Scope & visible) != 0) return compiled;
            errors.Add((visible & SampleScope.Response) != 0
                ? $"fetch '{compiled.Fetch.Keyword}' reads the request, which an http-response rule cannot see"
                : $"fetch '{compiled.Fetch.Keyword}' reads the response, which is not known when requests are processed");
            return null;
        }, out string? error);
        if (error is not null) errors.Add(error);
        if (format is null) return null;
        if (format.IsConstant && checkLiteral(format.Constant) is { } invalid)
        {
            errors.Add(invalid);
            return null;
        }
        return format;
    }

    private static string? HeaderValue(byte[] value) =>
        value.AsSpan().ContainsAnyExcept(HttpCharacterClasses.FieldValue) ? "the value holds characters a header cannot carry" : null;

    private static string? PathValue(byte[] value) =>
        value.Length == 0 || value[0] != '/' || value.AsSpan().ContainsAnyExcept(HttpCharacterClasses.Path)
            ? $"'{Encoding.UTF8.GetString(value)}' is not a valid path ('/' first, then request-target characters without '?')"
            : null;

    /// <summary>The regex a replace rule matches values with (case-sensitive, as HAProxy's); null with an error if invalid.</summary>
    private static RegexPattern? ValueRegex(string text, List<string> errors)
    {
        RegexPattern? pattern = RegexPattern.TryCreate(text, ignoreCase: false, 0, out string? error);
        if (pattern is null) errors.Add(error!);
        return pattern;
    }

    /// <summary>A path replacement's literal text: its group references are filled per request, where the result is checked as a path.</summary>
    private static string? PathReplacement(byte[] value) =>
        RegexReplacement.LiteralPart(value).AsSpan().ContainsAnyExcept(HttpCharacterClasses.Path)
            ? $"'{Encoding.UTF8.GetString(value)}' cannot make a path (request-target characters without '?', and \\1…\\9 for the groups)"
            : null;

    private sealed record CompiledDefaults(CompiledRule[] Request, CompiledRule[] Response, bool Failed);
}
