using System.Runtime.InteropServices;
using Appliance.Config.Model;
using Appliance.Engine;
using Appliance.Logging;

namespace Appliance.Cli;

/// <summary><c>appliance run -f FILE</c>: runs the proxy in the foreground until SIGTERM or SIGINT.</summary>
internal sealed class RunCommand : ICommand
{
    public string Name => "run";

    public string Summary => "run the proxy in the foreground (logs to stderr)";

    public string Usage => """
        Usage: appliance run -f FILE

        Loads FILE (HAProxy dialect), binds its listeners and forwards traffic until
        SIGTERM or SIGINT. Logs go to stderr; a line containing "Appliance ready" is
        written once every listener is bound and every shard runs. Exit status is
        non-zero when the configuration is invalid or a listener cannot be bound.
        """;

    public int Execute(CommandArguments arguments)
    {
        List<string> files = arguments.TakeValues("-f", "--file");
        if (files.Count != 1 || arguments.Remaining.Count > 0) return CommandLine.UsageError(this, files.Count == 0 ? "missing -f FILE" : null, arguments);
        CompiledConfig? config = ConfigFileLoader.Load(files[0], Console.Error);
        if (config is null) return 1;
        return Serve(config, new StderrEventLog(), onReady: null);
    }

    /// <summary>Runs <paramref name="config"/> until a stop signal; shared with <c>demo</c>.</summary>
    public static int Serve(CompiledConfig config, IEventLog log, Action<RunningProxy>? onReady)
    {
        using var stop = new ManualResetEventSlim();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Set();
        }
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

        using RunningProxy? proxy = RunningProxy.Start(config, log, out string? error);
        if (proxy is null)
        {
            log.Alert(error ?? "cannot start");
            return 1;
        }
        Worker worker = proxy.Worker;
        log.Info($"Appliance ready: {worker.Frontends.Count} frontend(s), {worker.Backends.Count} backend(s), "
               + $"{worker.ShardCount} shard(s), maxconn {worker.Budget.MaxConn}, pid {Environment.ProcessId}");
        onReady?.Invoke(proxy);
        stop.Wait();
        log.Info("Stopping");
        return 0;
    }
}
