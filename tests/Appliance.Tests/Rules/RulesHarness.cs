using Appliance.Config;
using Appliance.Config.Model;
using Appliance.Engine;
using Appliance.Http;
using Appliance.Routing;
using Appliance.Rules;
using Appliance.Tests.Config;

namespace Appliance.Tests.Rules;

/// <summary>
/// Loads and compiles a configuration the way <c>appliance check</c> and <c>run</c> do (parse,
/// validate, compile routes and rules), then plays requests and responses through the rules the way the
/// HTTP session does: frontend rules, routing over the edited request, backend rules, head writer.
/// </summary>
internal sealed class RulesHarness
{
    private readonly HttpRuleEvaluator _evaluator = new();
    private readonly byte[] _reply = new byte[16384];

    private RulesHarness(CompiledConfig compiled) => Compiled = compiled;

    public CompiledConfig Compiled { get; }

    public ApplianceConfig Config => Compiled.Config;

    public static RulesHarness Load(string text)
    {
        ConfigLoadResult result = ConfigTestSupport.Load(text);
        Assert.True(result.Succeeded, "unexpected errors:\n" + string.Join("\n", result.Errors));
        var diagnostics = new List<ConfigDiagnostic>();
        CompiledConfig? compiled = CompiledConfig.Compile(result.Config!, diagnostics);
        Assert.True(compiled is not null, "unexpected errors:\n" + string.Join("\n", diagnostics.Where(d => !d.IsWarning)));
        return new RulesHarness(compiled);
    }

    /// <summary>Every diagnostic of loading and compiling <paramref name="text"/>, as printed.</summary>
    public static string[] Diagnostics(string text)
    {
        ConfigLoadResult result = ConfigTestSupport.Load(text);
        var diagnostics = new List<ConfigDiagnostic>(result.Warnings.Concat(result.Errors));
        if (result.Succeeded) CompiledConfig.Compile(result.Config!, diagnostics);
        return [.. diagnostics.Select(d => d.ToString())];
    }

    /// <summary>The only compile error of <paramref name="text"/> (the file itself parses), as printed.</summary>
    public static string CompileError(string text)
    {
        ConfigLoadResult result = ConfigTestSupport.Load(text);
        Assert.True(result.Succeeded, "unexpected parse errors:\n" + string.Join("\n", result.Errors));
        var diagnostics = new List<ConfigDiagnostic>();
        Assert.Null(CompiledConfig.Compile(result.Config!, diagnostics));
        return Assert.Single(diagnostics, d => !d.IsWarning).ToString();
    }

    public HttpRuleSet Frontend(string name = "f") => Compiled.FrontendRules[Index(Config.Frontends, f => f.Name == name)];

    public HttpRuleSet Backend(string name) => Compiled.BackendRules[Index(Config.Backends, b => b.Name == name)];

    /// <summary>
    /// Plays <paramref name="raw"/> through frontend <paramref name="frontend"/>: the rules' answer when
    /// one is final (verdict, status, response text), else the forwarded head and the backend chosen.
    /// </summary>
    public RequestResult Request(string raw, string frontend = "f", string client = "192.0.2.10")
    {
        var request = new ParsedRequest(raw, client);
        var edits = new HeadEdits();
        int index = Index(Config.Frontends, f => f.Name == frontend);
        RuleOutcome outcome = _evaluator.EvaluateFrontendRequest(Compiled.FrontendRules[index], request, edits, _reply);
        if (outcome.IsFinal) return RequestResult.Answered(outcome);
        int backend = Compiled.Routes[index].SelectBackend(_evaluator.Request);
        if (backend < 0) return new RequestResult(RuleVerdict.Continue, 0, null, null, request.Write(edits));
        outcome = _evaluator.EvaluateBackendRequest(Compiled.BackendRules[backend], _reply);
        if (outcome.IsFinal) return RequestResult.Answered(outcome);
        return new RequestResult(RuleVerdict.Continue, 0, null, Config.Backends[backend].Name, request.Write(edits));
    }

    /// <summary>Plays a response head through the backend's then the frontend's response rules; null when a rewrite failed.</summary>
    public string? Response(string raw, string backend, string frontend = "f", string client = "192.0.2.10")
    {
        var response = new ParsedResponse(raw);
        var edits = new HeadEdits();
        bool forwarded = _evaluator.EvaluateResponse(Frontend(frontend), Backend(backend), response,
            System.Net.IPAddress.Parse(client).GetAddressBytes(), edits);
        return forwarded ? response.Write(edits) : null;
    }

    private static int Index<T>(ValueList<T> items, Func<T, bool> match)
    {
        for (int i = 0; i < items.Count; i++)
        {
            if (match(items[i])) return i;
        }
        throw new ArgumentException("no such section");
    }
}

/// <summary>What happened to a request: forwarded (<see cref="Head"/>, <see cref="Backend"/>) or answered by a rule.</summary>
internal sealed record RequestResult(RuleVerdict Verdict, int Status, string? Response, string? Backend, string? Head)
{
    public static RequestResult Answered(RuleOutcome outcome) =>
        new(outcome.Verdict, outcome.Status, Http.HttpText.Text(outcome.Response), null, null);
}
