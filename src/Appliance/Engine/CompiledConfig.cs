using Appliance.Config;
using Appliance.Config.Model;
using Appliance.Routing;
using Appliance.Routing.Acls;
using Appliance.Routing.Maps;
using Appliance.Rules;

namespace Appliance.Engine;

/// <summary>
/// A validated configuration plus what is compiled from it once for the data path: one route table
/// per frontend (ACLs, use_backend rules, maps) and one rule set per proxy (http-request/http-response
/// rules, errorfiles). Immutable once built; shared by all shards.
/// </summary>
internal sealed class CompiledConfig
{
    private CompiledConfig(ApplianceConfig config, RouteTable[] routes, HttpRuleSet[] frontendRules, HttpRuleSet[] backendRules, MapRegistry maps,
        Metrics.MetricsEndpoint metrics)
    {
        Metrics = metrics;
        Config = config;
        Routes = routes;
        FrontendRules = frontendRules;
        BackendRules = backendRules;
        Maps = maps;
    }

    public ApplianceConfig Config { get; }

    /// <summary>Indexed like <see cref="ApplianceConfig.Frontends"/>; backend indexes follow <see cref="ApplianceConfig.Backends"/>.</summary>
    public IReadOnlyList<RouteTable> Routes { get; }

    /// <summary>Indexed like <see cref="ApplianceConfig.Frontends"/>.</summary>
    public IReadOnlyList<HttpRuleSet> FrontendRules { get; }

    /// <summary>Indexed like <see cref="ApplianceConfig.Backends"/>; a listen section's entry is its frontend's set.</summary>
    public IReadOnlyList<HttpRuleSet> BackendRules { get; }

    /// <summary>The map files the routes use (changeable at runtime through the runtime API).</summary>
    public MapRegistry Maps { get; }

    /// <summary>Where this configuration's <c>use-service prometheus-exporter</c> rules find the running worker's exporter.</summary>
    public Metrics.MetricsEndpoint Metrics { get; }

    /// <summary>Where this configuration's statistics pages find the running worker.</summary>
    public Stats.StatsEndpoint Stats { get; } = new();

    /// <summary>Compiled <c>stats admin</c> conditions, indexed like <see cref="ApplianceConfig.Frontends"/> (null: read-only page).</summary>
    public IReadOnlyList<Condition?> FrontendStatsAdmin { get; private init; } = [];

    /// <summary>Compiled <c>stats admin</c> conditions, indexed like <see cref="ApplianceConfig.Backends"/>.</summary>
    public IReadOnlyList<Condition?> BackendStatsAdmin { get; private init; } = [];

    /// <summary>Compiles every frontend's routes and every proxy's rules; null when any fails, with every diagnostic collected.</summary>
    public static CompiledConfig? Compile(ApplianceConfig config, List<ConfigDiagnostic> diagnostics)
    {
        var backends = new BackendDirectory(config.Backends.Select(b => b.Name));
        var maps = new MapRegistry();
        var metrics = new Metrics.MetricsEndpoint();
        var rules = new HttpRulesCompiler(maps, metrics);
        var routes = new RouteTable[config.Frontends.Count];
        var frontendRules = new HttpRuleSet[config.Frontends.Count];
        var backendRules = new HttpRuleSet[config.Backends.Count];
        // The two halves of a listen section (same name, same line) share one rule set, compiled once.
        var sections = new Dictionary<(string, SourceLocation), HttpRuleSet?>();
        var frontendAdmin = new Condition?[config.Frontends.Count];
        var backendAdmin = new Condition?[config.Backends.Count];
        var adminBySection = new Dictionary<(string, SourceLocation), Condition?>();
        bool failed = false;
        for (int i = 0; i < routes.Length; i++)
        {
            FrontendConfig frontend = config.Frontends[i];
            // The frontend's ACLs serve its use_backend rules and its http rules alike: compiled once.
            var routeDiagnostics = new List<ConfigDiagnostic>();
            var acls = NamedAclCompiler.Compile(frontend.Name, frontend.Acls, maps, routeDiagnostics);
            RouteCompilation route = RouteTableCompiler.Compile(frontend, backends, maps, acls, routeDiagnostics);
            diagnostics.AddRange(route.Diagnostics);
            if (frontend.Stats?.Admin is not null)
            {
                frontendAdmin[i] = CompileStatsAdmin(frontend.Name, frontend.Stats, acls, maps, diagnostics, ref failed);
                adminBySection[(frontend.Name, frontend.Location)] = frontendAdmin[i];
            }
            HttpRulesCompilation compiled = rules.Compile(ProxyRulesSource.Of(frontend), acls, []);
            diagnostics.AddRange(compiled.Diagnostics);
            // A failed set is remembered too, so a listen's backend half does not report its errors again.
            sections[(frontend.Name, frontend.Location)] = compiled.Rules;
            if (route.Table is null || compiled.Rules is null)
            {
                failed = true;
                continue;
            }
            routes[i] = route.Table;
            frontendRules[i] = compiled.Rules;
        }
        for (int i = 0; i < backendRules.Length; i++)
        {
            BackendConfig backend = config.Backends[i];
            if (backend.Stats?.Admin is { } admin && !adminBySection.TryGetValue((backend.Name, backend.Location), out backendAdmin[i]))
            {
                var adminDiagnostics = new List<ConfigDiagnostic>();
                var used = backend.Acls.Where(acl => Appliance.Config.Keywords.ConditionWords.AclNames(admin).Contains(acl.Name));
                var acls = NamedAclCompiler.Compile(backend.Name, used, maps, adminDiagnostics);
                diagnostics.AddRange(adminDiagnostics);
                failed |= adminDiagnostics.Any(d => !d.IsWarning);
                backendAdmin[i] = CompileStatsAdmin(backend.Name, backend.Stats, acls, maps, diagnostics, ref failed);
            }
            if (sections.TryGetValue((backend.Name, backend.Location), out HttpRuleSet? shared))
            {
                if (shared is null) failed = true;
                else backendRules[i] = shared;
                continue;
            }
            HttpRulesCompilation compiled = rules.Compile(backend);
            diagnostics.AddRange(compiled.Diagnostics);
            if (compiled.Rules is null) failed = true;
            else backendRules[i] = compiled.Rules;
        }
        return failed ? null : new CompiledConfig(config, routes, frontendRules, backendRules, maps, metrics)
        {
            FrontendStatsAdmin = frontendAdmin,
            BackendStatsAdmin = backendAdmin,
        };
    }

    /// <summary><c>stats admin if|unless COND</c> over the section's ACLs; errors are reported at the line.</summary>
    private static Condition? CompileStatsAdmin(string section, StatsConfig stats, IReadOnlyDictionary<string, NamedAcl> acls, MapRegistry maps,
        List<ConfigDiagnostic> diagnostics, ref bool failed)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        SourceLocation location = stats.AdminLocation ?? new SourceLocation("", 0);
        Condition? condition = new ConditionCompiler(acls, maps).TryCompile(stats.Admin!, location, errors, warnings);
        foreach (string message in errors) diagnostics.Add(new ConfigDiagnostic(location, section, "stats admin", message));
        foreach (string message in warnings) diagnostics.Add(new ConfigDiagnostic(location, section, "stats admin", message, IsWarning: true));
        if (condition is null) failed = true;
        return condition;
    }
}
