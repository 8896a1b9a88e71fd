using Appliance.Config;
using Appliance.Config.Model;
using Appliance.Routing;
using Appliance.Routing.Maps;

namespace Appliance.Engine;

/// <summary>
/// A validated configuration plus what is compiled from it once for the data path: one route table
/// per frontend (ACLs, use_backend rules, maps). Immutable once built; shared by all shards.
/// </summary>
internal sealed class CompiledConfig
{
    private CompiledConfig(ApplianceConfig config, RouteTable[] routes, MapRegistry maps)
    {
        Config = config;
        Routes = routes;
        Maps = maps;
    }

    public ApplianceConfig Config { get; }

    /// <summary>Indexed like <see cref="ApplianceConfig.Frontends"/>; backend indexes follow <see cref="ApplianceConfig.Backends"/>.</summary>
    public IReadOnlyList<RouteTable> Routes { get; }

    /// <summary>The map files the routes use (changeable at runtime through the runtime API).</summary>
    public MapRegistry Maps { get; }

    /// <summary>Compiles every frontend's rules; null when any fails, with every diagnostic collected.</summary>
    public static CompiledConfig? Compile(ApplianceConfig config, List<ConfigDiagnostic> diagnostics)
    {
        var backends = new BackendDirectory(config.Backends.Select(b => b.Name));
        var maps = new MapRegistry();
        var routes = new RouteTable[config.Frontends.Count];
        bool failed = false;
        for (int i = 0; i < routes.Length; i++)
        {
            RouteCompilation compilation = RouteTableCompiler.Compile(config.Frontends[i], backends, maps);
            diagnostics.AddRange(compilation.Diagnostics);
            if (compilation.Table is null) failed = true;
            else routes[i] = compilation.Table;
        }
        return failed ? null : new CompiledConfig(config, routes, maps);
    }
}
