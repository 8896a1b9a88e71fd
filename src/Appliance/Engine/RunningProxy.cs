using Appliance.Config.Model;
using Appliance.Health;
using Appliance.Logging;
using Appliance.Runtime;

namespace Appliance.Engine;

/// <summary>
/// Everything that runs for one configuration in this process: the worker (shards and listeners),
/// the health prober and the runtime API sockets. Used by <c>run</c> and <c>demo</c>.
/// </summary>
internal sealed class RunningProxy : IDisposable
{
    private readonly List<RuntimeApiServer> _apiServers;
    private readonly HealthProber _prober;

    private RunningProxy(Worker worker, List<RuntimeApiServer> apiServers, HealthProber prober)
    {
        Worker = worker;
        _apiServers = apiServers;
        _prober = prober;
    }

    public Worker Worker { get; }

    /// <summary>Starts everything or nothing; on failure returns null with a located error.</summary>
    public static RunningProxy? Start(CompiledConfig compiled, IEventLog log, out string? error)
    {
        ApplianceConfig config = compiled.Config;
        Worker? worker = Worker.Start(compiled, log, out error);
        if (worker is null) return null;

        var apiServers = new List<RuntimeApiServer>();
        var commands = new RuntimeCommands(worker);
        foreach (StatsSocketConfig socket in config.Global.StatsSockets)
        {
            RuntimeApiServer? server = RuntimeApiServer.Start(socket, commands, log, out error);
            if (server is null)
            {
                foreach (RuntimeApiServer started in apiServers) started.Dispose();
                worker.Dispose();
                return null;
            }
            apiServers.Add(server);
        }
        var prober = new HealthProber(worker.Backends.Select(b => b.State), log, checkKind: HealthCheckKinds.For);
        prober.Start();
        return new RunningProxy(worker, apiServers, prober);
    }

    public void Dispose()
    {
        _prober.Dispose();
        foreach (RuntimeApiServer server in _apiServers) server.Dispose();
        Worker.Dispose();
    }
}
