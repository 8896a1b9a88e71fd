using System.Collections.Immutable;
using Appliance.Config.Model;
using Appliance.Routing;
using Appliance.Routing.Maps;

namespace Appliance.Tests.Routing;

/// <summary>
/// Builds a <see cref="FrontendConfig"/> from frontend lines (<c>acl</c>, <c>use_backend</c>,
/// <c>default_backend</c>) split on blanks, each with its line number, so tests read like the
/// configuration they exercise without depending on the config parser.
/// </summary>
public static class RoutingConfig
{
    public const string DefaultFile = "/etc/appliance/appliance.cfg";

    public static FrontendConfig Frontend(string text, string file = DefaultFile, string name = "web")
    {
        var acls = new List<AclConfig>();
        var rules = new List<UseBackendRule>();
        string? defaultBackend = null;
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string[] words = lines[i].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || words[0].StartsWith('#')) continue;
            var location = new SourceLocation(file, i + 1);
            switch (words[0])
            {
                case "acl":
                    acls.Add(new AclConfig(words[1], words[2], new ValueList<string>(words.Skip(3)), location));
                    break;
                case "use_backend":
                    ConditionConfig? condition = words.Length > 2
                        ? new ConditionConfig(words[2] == "unless", new ValueList<string>(words.Skip(3)))
                        : null;
                    rules.Add(new UseBackendRule(words[1], condition, location));
                    break;
                case "default_backend":
                    defaultBackend = words[1];
                    break;
                default:
                    throw new ArgumentException($"unexpected line {lines[i]}");
            }
        }
        return new FrontendConfig(
            name, ProxyMode.Http, ValueList<BindConfig>.Empty, defaultBackend,
            new ValueList<AclConfig>(acls), new ValueList<UseBackendRule>(rules), 0, Timeouts.None,
            new SourceLocation(file, 1));
    }

    public static RouteCompilation Compile(string text, IEnumerable<string> backends, string file = DefaultFile, MapRegistry? maps = null) =>
        RouteTableCompiler.Compile(Frontend(text, file), new BackendDirectory(backends), maps ?? new MapRegistry());

    /// <summary>Compiles and asserts success; backends are every name the text mentions after use_backend/default_backend.</summary>
    public static RouteTable Table(string text, string file = DefaultFile, params string[] extraBackends)
    {
        var names = new List<string>();
        foreach (string line in text.Split('\n'))
        {
            string[] words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length > 1 && words[0] is "use_backend" or "default_backend" && !words[1].Contains("%[") && !names.Contains(words[1]))
                names.Add(words[1]);
        }
        foreach (string extra in extraBackends) if (!names.Contains(extra)) names.Add(extra);
        RouteCompilation result = Compile(text, names, file);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Table!;
    }

    /// <summary>The backend name the table picks for <paramref name="request"/>, or null (no backend).</summary>
    public static string? BackendFor(this RouteTable table, IRequestView request)
    {
        RouteDecision decision = table.Route(request);
        Assert.Equal(decision, table.RouteByOrderedEvaluation(request));
        return decision.HasBackend ? table.Backends[decision.Backend] : null;
    }

    public static ImmutableArray<string> Messages(this RouteCompilation result) =>
        [.. result.Diagnostics.Select(d => d.ToString())];
}
