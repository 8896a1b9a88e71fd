using Appliance.Config.Model;
using Appliance.Health;
using Appliance.Logging;
using Appliance.Runtime;

namespace Appliance.Engine;

/// <summary>
/// Everything that runs for one configuration in this process: the worker (shards and listeners),
/// the health prober and the runtime API sockets. Used by worker processes and by <c>demo</c>.
/// </summary>
internal sealed class RunningProxy : IDisposable
{
    private readonly List<RuntimeApiServer> _apiServers;
    private readonly HealthProber _prober;
    private readonly Metrics.PrometheusListener? _metricsListener;

    private RunningProxy(Worker worker, List<RuntimeApiServer> apiServers, HealthProber prober, RuntimeCommands commands,
        Metrics.PrometheusListener? metricsListener)
    {
        _metricsListener = metricsListener;
        Worker = worker;
        _apiServers = apiServers;
        _prober = prober;
        Commands = commands;
    }

    public Worker Worker { get; }

    /// <summary>The runtime API commands of this proxy (also reachable through the master CLI).</summary>
    public RuntimeCommands Commands { get; }

    /// <summary>
    /// Starts everything or nothing; on failure returns null with a located error. With a
    /// <paramref name="handoff"/>, the sockets come from the master instead of being opened here.
    /// </summary>
    public static RunningProxy? Start(CompiledConfig compiled, IEventLog log, out string? error, ProxyHandoff? handoff = null)
    {
        ApplianceConfig config = compiled.Config;
        Worker? worker = Worker.Start(compiled, log, out error, handoff?.Listeners, handoff?.BeforeStart);
        if (worker is null) return null;

        compiled.Metrics.Attach(new Metrics.MetricsExporter(worker, handoff?.Baseline, config.Global.MetricsPrefix, handoff?.Generation ?? 0));
        Metrics.PrometheusListener? metricsListener = null;
        if (config.Global.PrometheusListener is { } listenerConfig)
        {
            metricsListener = Metrics.PrometheusListener.Start(listenerConfig, compiled.Metrics, log, out error);
            if (metricsListener is null)
            {
                worker.Dispose();
                return null;
            }
        }
        compiled.Stats.Attach(new Stats.StatsSource(worker, handoff?.Baseline, handoff?.Generation ?? 0));
        var apiServers = new List<RuntimeApiServer>();
        var commands = new RuntimeCommands(worker, handoff?.Baseline, handoff?.Generation ?? 0, compiled.Maps);
        for (int i = 0; i < config.Global.StatsSockets.Count; i++)
        {
            StatsSocketConfig socket = config.Global.StatsSockets[i];
            if (handoff is not null)
            {
                if (handoff.StatsSocketFds.TryGetValue(i, out int fd)) apiServers.Add(RuntimeApiServer.Serve(fd, socket, commands, log, removePathOnDispose: false));
                continue;
            }
            RuntimeApiServer? server = RuntimeApiServer.Start(socket, commands, log, out error);
            if (server is null)
            {
                foreach (RuntimeApiServer started in apiServers) started.Dispose();
                metricsListener?.Dispose();
                worker.Dispose();
                return null;
            }
            apiServers.Add(server);
        }
        var prober = new HealthProber(worker.Backends.Select(b => b.State), log, checkKind: HealthCheckKinds.For);
        prober.Start();
        return new RunningProxy(worker, apiServers, prober, commands, metricsListener);
    }

    /// <summary>
    /// Stops accepting (connections and runtime API clients: the next generation serves both from the
    /// same sockets) and lets open connections finish. Health checks go on for the requests still coming
    /// over kept-alive connections.
    /// </summary>
    public void BeginDrain()
    {
        foreach (RuntimeApiServer server in _apiServers) server.Dispose();
        _metricsListener?.Dispose();
        Worker.BeginDrain();
    }

    public void Dispose()
    {
        _prober.Dispose();
        _metricsListener?.Dispose();
        foreach (RuntimeApiServer server in _apiServers) server.Dispose();
        Worker.Dispose();
    }
}
