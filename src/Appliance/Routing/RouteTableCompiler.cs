using System.Collections.Immutable;
using Appliance.Config;
using Appliance.Config.Model;
using Appliance.Routing.Acls;
using Appliance.Routing.Maps;
using Appliance.Routing.Patterns;
using Appliance.Routing.Samples;

namespace Appliance.Routing;

/// <summary>
/// Compiles a frontend's <c>acl</c>, <c>use_backend</c> and <c>default_backend</c> into a
/// <see cref="RouteTable"/>, reporting every error at once (never throwing on bad input). Runs once
/// per configuration load, off the data path.
/// </summary>
public static class RouteTableCompiler
{
    /// <param name="frontend">The frontend as parsed.</param>
    /// <param name="backends">Backend names → indexes, for static names now and dynamic names at run time.</param>
    /// <param name="maps">Map files of this configuration generation, shared by all frontends (one
    /// registry per load, so a file named by several rules is read once and updated in one place).</param>
    public static RouteCompilation Compile(FrontendConfig frontend, BackendDirectory backends, MapRegistry maps)
    {
        var diagnostics = new List<ConfigDiagnostic>();
        IReadOnlyDictionary<string, NamedAcl> named = NamedAclCompiler.Compile(frontend.Name, frontend.Acls, maps, diagnostics);
        return Compile(frontend, backends, maps, named, diagnostics);
    }

    /// <summary>
    /// Same, with the frontend's ACLs already compiled (<see cref="NamedAclCompiler"/>), so that its
    /// <c>http-request</c> rules can share them; their diagnostics are the caller's. The table is null
    /// when <paramref name="diagnostics"/> (which the result's are appended to) holds any error.
    /// </summary>
    internal static RouteCompilation Compile(
        FrontendConfig frontend, BackendDirectory backends, MapRegistry maps, IReadOnlyDictionary<string, NamedAcl> named,
        List<ConfigDiagnostic> diagnostics)
    {
        void Report(SourceLocation location, string keyword, string message, bool warning = false) =>
            diagnostics.Add(new ConfigDiagnostic(location, frontend.Name, keyword, message, warning));

        var conditions = new ConditionCompiler(named, maps);
        var rules = new RouteRule[frontend.UseBackends.Count];
        for (int i = 0; i < rules.Length; i++)
        {
            UseBackendRule rule = frontend.UseBackends[i];
            var errors = new List<string>();
            var warnings = new List<string>();
            Condition? condition = rule.Condition is null ? null : conditions.TryCompile(rule.Condition, rule.Location, errors, warnings);
            int backend = RouteTable.NoBackend;
            BackendNameTemplate? dynamic = null;
            if (rule.IsDynamic)
            {
                dynamic = BackendNameTemplate.TryParse(rule.Backend, text => CompileSampleExpression(text, rule.Location, maps, errors), out string? error);
                if (error is not null) errors.Add(error);
            }
            else if (!backends.TryResolve(rule.Backend, out backend))
            {
                errors.Add($"unable to find required use_backend: '{rule.Backend}'");
            }
            foreach (string message in errors) Report(rule.Location, "use_backend", message);
            foreach (string message in warnings) Report(rule.Location, "use_backend", message, warning: true);
            rules[i] = new RouteRule(condition, backend, dynamic, rule.Location);
        }

        int defaultBackend = RouteTable.NoBackend;
        if (frontend.DefaultBackend is { } defaultName && !backends.TryResolve(defaultName, out defaultBackend))
        {
            Report(frontend.Location, "default_backend", $"unable to find required default_backend: '{defaultName}'");
            defaultBackend = RouteTable.NoBackend;
        }

        var all = diagnostics.ToImmutableArray();
        if (diagnostics.Exists(d => !d.IsWarning)) return new RouteCompilation(null, all);
        return new RouteCompilation(new RouteTable(frontend.Name, rules, BuildSegments(rules), defaultBackend, backends), all);
    }

    /// <summary>
    /// One <c>%[…]</c> body: a fetch and its converters. <paramref name="forRules"/> also accepts what
    /// rule values may read (see <see cref="FetchKeywords.TryCreateForSample"/>).
    /// </summary>
    internal static SampleExpression? CompileSampleExpression(string text, SourceLocation location, MapRegistry maps, List<string> errors,
        bool forRules = false)
    {
        if (!SampleCall.TryParseExpression(text, out List<SampleCall> calls, out string? error))
        {
            errors.Add(error!);
            return null;
        }
        SampleFetch? fetch = FetchKeywords.TryCreateForSample(calls[0], out error, forRules);
        if (fetch is null)
        {
            errors.Add(error!);
            return null;
        }
        var converters = new SampleConverter[calls.Count - 1];
        for (int i = 1; i < calls.Count; i++)
        {
            SampleConverter? converter = ConverterKeywords.TryCreate(calls[i], location.File, maps, out error);
            if (converter is null)
            {
                errors.Add(error!);
                return null;
            }
            converters[i - 1] = converter;
        }
        return new SampleExpression(fetch, converters);
    }

    /// <summary>
    /// Groups consecutive rules that an index can answer exactly: positive <c>path_beg</c> conditions
    /// into a prefix trie, positive exact-match conditions on one header into hash tables; every other
    /// rule is evaluated in order. Segments are consulted in rule order, so the result is the naive
    /// first-match result.
    /// </summary>
    private static RouteSegment[] BuildSegments(RouteRule[] rules)
    {
        var segments = new List<RouteSegment>();
        int start = 0;
        while (start < rules.Length)
        {
            IndexKey? key = Classify(rules[start]);
            int end = start + 1;
            while (end < rules.Length && Equals(Classify(rules[end]), key)) end++;
            if (key is null)
            {
                segments.Add(new OrderedRouteSegment(start, rules[start..end]));
            }
            else
            {
                var patterns = new List<StringPattern>();
                byte[] header = [];
                for (int r = start; r < end; r++)
                {
                    Condition condition = rules[r].Condition!;
                    for (int s = 0; s < condition.SuiteCount; s++)
                    {
                        foreach (AclTest test in condition.Suite(s)[0].Acl.Tests)
                        {
                            if (test.Fetch is HeaderFetch fetch) header = fetch.Name;
                            foreach (StringPattern pattern in test.Patterns) patterns.Add(pattern with { Order = r });
                        }
                    }
                }
                segments.Add(key.Value.PathPrefix
                    ? new PathPrefixRouteSegment(start, end - 1, new StringPatternSet(MatchMethod.Beg, patterns))
                    : new HeaderExactRouteSegment(start, end - 1, header, new StringPatternSet(MatchMethod.Str, patterns)));
            }
            start = end;
        }
        return [.. segments];
    }

    /// <summary>Which index can answer <paramref name="rule"/> exactly, or null.</summary>
    private static IndexKey? Classify(RouteRule rule)
    {
        Condition? condition = rule.Condition;
        if (condition is null || condition.Unless) return null;
        IndexKey? key = null;
        for (int s = 0; s < condition.SuiteCount; s++)
        {
            ReadOnlySpan<ConditionTerm> suite = condition.Suite(s);
            if (suite.Length != 1 || suite[0].Negated) return null;
            foreach (AclTest test in suite[0].Acl.Tests)
            {
                IndexKey? testKey = Classify(test);
                if (testKey is null || (key is not null && !key.Equals(testKey))) return null;
                key = testKey;
            }
        }
        return key;
    }

    private static IndexKey? Classify(AclTest test)
    {
        if (test.HasConverters) return null;
        if (test.Method == MatchMethod.Beg && test.Fetch == RequestPartFetch.Path) return new IndexKey(true, "");
        if (test.Method == MatchMethod.Str && test.Fetch is HeaderFetch { SplitCommas: true, Occurrence: 0 } header && header.Name.Length > 0)
        {
            return new IndexKey(false, System.Text.Encoding.UTF8.GetString(header.Name).ToLowerInvariant());
        }
        return null;
    }

    /// <summary>A path-prefix index, or an exact index on the (lower-cased) header name.</summary>
    private readonly record struct IndexKey(bool PathPrefix, string Header);
}
