using System.Runtime.InteropServices;
using Appliance.Engine;
using Appliance.Logging;
using Appliance.Master;

namespace Appliance.Cli;

/// <summary><c>appliance run -f FILE [-S SOCKET] [-p PIDFILE]</c>: the master process, in the foreground.</summary>
internal sealed class RunCommand : ICommand
{
    public string Name => "run";

    public string Summary => "run the proxy in the foreground (master + worker; logs to stderr)";

    public string Usage => $"""
        Usage: appliance run -f FILE [-S MASTER_SOCKET] [-p PIDFILE]

        Loads FILE (HAProxy dialect) and runs as a master process with a stable PID:
        it binds the listeners and runtime API sockets, then starts a worker process
        that receives them (SCM_RIGHTS) and forwards traffic. Logs go to stderr; a
        line containing "Appliance ready" is written once the worker serves.

          -S MASTER_SOCKET  master CLI socket (show proc, reload); default
                            'master-socket' in global, else {MasterProcess.DefaultMasterSocket}
                            (skipped with a warning if it cannot be bound)
          -p PIDFILE        write the master's PID there

        Signals: SIGHUP or SIGUSR2 reload (as 'appliance reload'), SIGTERM drains
        and stops (bounded by hard-stop-after), SIGINT stops at once. A worker that
        dies is restarted on the same sockets. With $NOTIFY_SOCKET set, speaks
        systemd's notify protocol (Type=notify). Exit status is non-zero when the
        configuration is invalid or a listener cannot be bound.
        """;

    public int Execute(CommandArguments arguments)
    {
        List<string> files = arguments.TakeValues("-f", "--file");
        List<string> sockets = arguments.TakeValues("-S", "--master-socket");
        List<string> pidFiles = arguments.TakeValues("-p", "--pidfile");
        if (files.Count != 1 || sockets.Count > 1 || pidFiles.Count > 1 || arguments.Remaining.Count > 0)
        {
            return CommandLine.UsageError(this, files.Count == 0 ? "missing -f FILE" : null, arguments);
        }
        var master = new MasterProcess(files[0], new StderrEventLog());
        return master.Run(sockets.FirstOrDefault(), pidFiles.FirstOrDefault());
    }

    /// <summary>Runs <paramref name="config"/> in this one process until a stop signal; used by <c>demo</c>.</summary>
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
