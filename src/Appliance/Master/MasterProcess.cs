using System.Runtime.InteropServices;
using Appliance.Cli;
using Appliance.Config.Model;
using Appliance.Engine;
using Appliance.Logging;
using Appliance.Runtime;

namespace Appliance.Master;

/// <summary>
/// The master of <c>appliance run</c>: a stable process that never forwards traffic. It validates the
/// configuration, owns the listening and runtime API sockets (<see cref="SocketPool"/>), answers the
/// master CLI, and runs one worker process per configuration generation, handing it the sockets over
/// <c>SCM_RIGHTS</c>. Reloads start generation N+1 on the same sockets, wait for its READY, then drain
/// generation N; a worker that dies is restarted on the same sockets at once.
/// <para>
/// Threads: the main thread waits for a stop; signal handlers, the master CLI thread and one reader
/// thread per worker call in. <see cref="_gate"/> guards the worker list and counters; reloads and
/// restarts are serialized by <see cref="_spawnLock"/>.
/// </para>
/// </summary>
internal sealed class MasterProcess
{
    public const string DefaultMasterSocket = "/run/appliance/master.sock";
    public const int DefaultMaxReloads = 50;

    /// <summary>Generous for a cold start on a loaded 2-core machine.</summary>
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    /// <summary>How long a reload waits for the old generation to confirm it stopped accepting.</summary>
    private static readonly TimeSpan DrainAckTimeout = TimeSpan.FromSeconds(5);
    /// <summary>How long a state request to the serving worker may take before the last pushed state is used.</summary>
    private static readonly TimeSpan StateTimeout = TimeSpan.FromSeconds(2);
    /// <summary>Grace after a worker's own hard-stop-after before the master kills it.</summary>
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);

    private readonly string _configPath;
    private readonly IEventLog _log;
    private readonly SystemdNotifier _notifier;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _spawnLock = new(1, 1);
    private readonly SocketPool _sockets = new();
    private readonly List<WorkerProcess> _workers = new();
    private readonly ManualResetEventSlim _stopRequested = new();
    private readonly ManualResetEventSlim _allExited = new();
    private readonly DateTime _startedAt = DateTime.UtcNow;

    private CounterSnapshot _ended = CounterSnapshot.Empty;
    private WorkerProcess? _current;
    private Generation? _serving;
    private int _generation;
    private int _reloads;
    private int _failedReloads;
    private int _restarts;
    private volatile bool _stopping;
    private bool _graceful = true;
    private RuntimeApiServer? _cli;
    private string? _cliPath;

    public MasterProcess(string configPath, IEventLog log)
    {
        _configPath = configPath;
        _log = log;
        _notifier = new SystemdNotifier(log);
    }

    /// <summary>What runs now: the configuration and its sockets (kept for restarts).</summary>
    private sealed record Generation(
        int Number, string ConfigText, CompiledConfig Compiled, IReadOnlyList<SocketAssignment> Sockets);

    /// <summary>Runs until SIGTERM (graceful) or SIGINT (at once); returns the exit status.</summary>
    public int Run(string? masterSocket, string? pidFile)
    {
        (CompiledConfig? compiled, string? text) = Load(Console.Error);
        if (compiled is null || text is null) return 1;
        ApplianceConfig config = compiled.Config;
        int shardCount = ShardPlacement.ShardCount(config.Global);
        if (ConnectionBudget.Plan(config.Global, shardCount, out string? error, out string? warning) is null)
        {
            _log.Alert(error!);
            return 1;
        }
        if (warning is not null) _log.Warning(warning);
        SocketPlan? plan = _sockets.Prepare(config, shardCount, out error);
        if (plan is null)
        {
            _log.Alert(error!);
            return 1;
        }
        _sockets.Commit(plan);

        string? cliPath = masterSocket ?? config.Global.MasterSocket;
        string path = cliPath ?? DefaultMasterSocket;
        _cli = MasterSocket.Open(path, required: cliPath is not null, new MasterCommands(this).Answer, _log, out bool cliOk);
        if (!cliOk)
        {
            _sockets.CloseAll();
            return 1;
        }
        if (_cli is not null) _cliPath = path;
        if (pidFile is not null && !PidFile.Write(pidFile, _log))
        {
            Cleanup(pidFile);
            return 1;
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => RequestStop(c, graceful: true));
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => RequestStop(c, graceful: false));
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnReloadSignal);
        using var usr2 = PosixSignalRegistration.Create((PosixSignal)12, OnReloadSignal); // SIGUSR2

        var first = new Generation(++_generation, text, compiled, plan.Assignments);
        string? failure;
        _spawnLock.Wait();
        try
        {
            failure = StartGeneration(first, [], out _);
        }
        finally
        {
            _spawnLock.Release();
        }
        if (failure is not null)
        {
            _log.Alert(failure);
            StopWorkers(graceful: false);
            Cleanup(pidFile);
            return 1;
        }
        WorkerProcess worker = _current!;
        _log.Info($"Appliance ready: {config.Frontends.Count} frontend(s), {config.Backends.Count} backend(s), "
                  + $"{shardCount} shard(s), master pid {Environment.ProcessId}, worker pid {worker.Pid} (generation {first.Number})"
                  + (_cliPath is not null ? $", master socket {_cliPath}" : ""));
        _notifier.Ready($"serving: generation {first.Number}, worker pid {worker.Pid}");

        _stopRequested.Wait();
        bool graceful;
        lock (_gate) graceful = _graceful;
        _log.Info(graceful ? "Stopping: draining the workers" : "Stopping now");
        _notifier.Stopping(graceful ? "stopping: draining" : "stopping");
        StopWorkers(graceful);
        Cleanup(pidFile);
        _log.Info("Stopped");
        return 0;
    }

    /// <summary>
    /// Re-reads the configuration and, if it is valid, starts the next generation on the same sockets
    /// and drains the current one. Returns when the new generation serves (or nothing changed).
    /// </summary>
    public ReloadOutcome Reload(string origin)
    {
        _spawnLock.Wait();
        try
        {
            if (_stopping) return new ReloadOutcome(false, 0, "the master is stopping\n");
            _notifier.Reloading($"reloading ({origin})");
            _log.Info($"Reloading {_configPath} ({origin})");
            ReloadOutcome outcome = ReloadLocked();
            lock (_gate)
            {
                if (outcome.Succeeded) _reloads++;
                else _failedReloads++;
            }
            if (outcome.Succeeded) _log.Info($"Reload done: generation {outcome.Generation} serving");
            else _log.Alert($"Reload refused, generation {_serving?.Number} keeps serving:\n{outcome.Messages.TrimEnd()}");
            _notifier.Ready(outcome.Succeeded
                ? $"serving: generation {outcome.Generation}, worker pid {_current?.Pid}"
                : $"serving: generation {_serving?.Number}; last reload failed");
            return outcome;
        }
        finally
        {
            _spawnLock.Release();
        }
    }

    private ReloadOutcome ReloadLocked()
    {
        var messages = new StringWriter();
        (CompiledConfig? compiled, string? text) = Load(messages);
        if (compiled is null || text is null) return new ReloadOutcome(false, 0, messages.ToString());
        ApplianceConfig config = compiled.Config;
        int shardCount = ShardPlacement.ShardCount(config.Global);
        if (ConnectionBudget.Plan(config.Global, shardCount, out string? error, out string? warning) is null)
        {
            messages.WriteLine(error);
            return new ReloadOutcome(false, 0, messages.ToString());
        }
        if (warning is not null) messages.WriteLine("[WARNING] " + warning);
        SocketPlan? plan;
        lock (_gate) plan = _sockets.Prepare(config, shardCount, out error);
        if (plan is null)
        {
            messages.WriteLine(error);
            return new ReloadOutcome(false, 0, messages.ToString());
        }

        WorkerProcess? old = _current;
        IReadOnlyList<CarriedServerState> servers = old is null ? [] : FreshState(old);
        var next = new Generation(_generation + 1, text, compiled, plan.Assignments);
        string? failure = StartGeneration(next, servers, out WorkerProcess? started);
        if (failure is not null)
        {
            lock (_gate) SocketPool.Abort(plan);
            messages.WriteLine(failure);
            return new ReloadOutcome(false, 0, messages.ToString());
        }
        _generation = next.Number;
        lock (_gate)
        {
            _sockets.Commit(plan);
            foreach (WorkerProcess worker in _workers)
            {
                if (worker != started) worker.Reloads++;
            }
        }
        if (old is not null) Retire(old);
        EnforceMaxReloads(config.Global.MworkerMaxReloads ?? DefaultMaxReloads);
        return new ReloadOutcome(true, next.Number, messages.ToString());
    }

    /// <summary>Tells a generation to stop accepting and drain; waits (bounded) until it no longer accepts.</summary>
    private void Retire(WorkerProcess old)
    {
        lock (_gate)
        {
            if (old.Phase == WorkerPhase.Exited) return;
            old.Phase = WorkerPhase.Draining;
            old.DrainingSince = DateTime.UtcNow;
        }
        old.Channel.TrySend(MessageKind.Drain);
        WatchDeadline(old);
        Task.WaitAny([old.DrainAcknowledged, old.Exited], DrainAckTimeout);
        lock (_gate) CloseRetiredSockets();
        SendBaseline();
    }

    /// <summary>Beyond <c>mworker-max-reloads</c> draining generations, the oldest are stopped at once.</summary>
    private void EnforceMaxReloads(int max)
    {
        List<WorkerProcess> excess;
        lock (_gate)
        {
            var draining = _workers.Where(w => w.Phase == WorkerPhase.Draining).OrderBy(w => w.Generation).ToList();
            excess = draining.Take(Math.Max(0, draining.Count - max)).ToList();
        }
        foreach (WorkerProcess worker in excess)
        {
            _log.Warning($"{worker}: more than {max} old generations draining (mworker-max-reloads): stopping it now");
            worker.Channel.TrySend(MessageKind.Stop);
        }
    }

    /// <summary>
    /// Spawns a worker for <paramref name="generation"/>, hands it the sockets and state, and waits for
    /// READY. On success it becomes the serving generation; returns null, or why it failed (the worker
    /// is then stopped). Caller holds <see cref="_spawnLock"/>.
    /// </summary>
    private string? StartGeneration(Generation generation, IReadOnlyList<CarriedServerState> servers, out WorkerProcess? started)
    {
        started = null;
        CounterSnapshot baseline;
        lock (_gate) baseline = Baseline(exclude: null);
        WorkerProcess worker;
        try
        {
            worker = WorkerProcess.Spawn(
                generation.Number,
                generation.Sockets,
                w =>
                {
                    w.Write(generation.Number);
                    w.Write(_configPath);
                    w.Write(generation.ConfigText);
                    CarriedServerState.WriteList(w, servers);
                    baseline.Write(w);
                },
                generation.Compiled.Config.Global.HardStopAfter,
                _log,
                OnWorkerMessage,
                OnWorkerExit);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return $"cannot start a worker process: {e.Message}";
        }
        lock (_gate) _workers.Add(worker);

        string? failure = worker.Ready.Wait(ReadyTimeout) ? worker.Ready.Result : $"{worker} not ready after {ReadyTimeout.TotalSeconds:0} s";
        if (failure is not null)
        {
            worker.Channel.TrySend(MessageKind.Stop);
            if (!worker.Exited.Wait(TimeSpan.FromSeconds(5))) worker.Kill();
            return failure;
        }
        lock (_gate)
        {
            if (_stopping)
            {
                worker.Channel.TrySend(MessageKind.Stop);
                return "the master is stopping";
            }
            worker.Phase = WorkerPhase.Serving;
            _current = worker;
            _serving = generation;
        }
        started = worker;
        SendBaseline();
        return null;
    }

    /// <summary>The serving worker's server states, asked for now (falls back to its last push).</summary>
    private IReadOnlyList<CarriedServerState> FreshState(WorkerProcess worker)
    {
        ChannelMessage? answer = worker.Request(MessageKind.StateRequest, null, StateTimeout);
        if (answer is not null)
        {
            using BinaryReader reader = answer.Reader();
            reader.ReadInt64();
            List<CarriedServerState> servers = CarriedServerState.ReadList(reader);
            CounterSnapshot counters = CounterSnapshot.Read(reader);
            lock (_gate)
            {
                worker.Servers = servers;
                worker.Counters = counters;
            }
            return servers;
        }
        lock (_gate) return worker.Servers;
    }

    private void OnWorkerMessage(WorkerProcess worker, ChannelMessage message)
    {
        switch (message.Kind)
        {
            case MessageKind.State:
            {
                using BinaryReader reader = message.Reader();
                reader.ReadInt64();
                List<CarriedServerState> servers = CarriedServerState.ReadList(reader);
                CounterSnapshot counters = CounterSnapshot.Read(reader);
                bool other;
                lock (_gate)
                {
                    worker.Servers = servers;
                    worker.Counters = counters;
                    other = worker != _current;
                }
                if (other) SendBaseline();
                break;
            }
            case MessageKind.Final:
            {
                using BinaryReader reader = message.Reader();
                CounterSnapshot counters = CounterSnapshot.Read(reader);
                lock (_gate) worker.Counters = counters;
                break;
            }
            case MessageKind.DrainStarted:
                lock (_gate)
                {
                    worker.DrainStarted = true;
                    CloseRetiredSockets();
                }
                worker.AcknowledgeDrain();
                break;
        }
    }

    private void OnWorkerExit(WorkerProcess worker)
    {
        bool restart;
        bool last;
        lock (_gate)
        {
            WorkerPhase phase = worker.Phase;
            worker.Phase = WorkerPhase.Exited;
            _workers.Remove(worker);
            _ended = CounterSnapshot.Sum([_ended, worker.Counters]);
            CloseRetiredSockets();
            restart = worker == _current && !_stopping;
            last = _workers.Count == 0;
            if (phase == WorkerPhase.Draining || _stopping)
            {
                _log.Info($"{worker} exited ({worker.ExitDescription})");
            }
            else if (phase == WorkerPhase.Serving)
            {
                _restarts++;
                _log.Alert($"{worker} died ({worker.ExitDescription}): restarting it on the same sockets (restart #{_restarts})");
            }
        }
        if (!restart) SendBaseline();
        if (restart) new Thread(() => Restart(worker)) { Name = "restart", IsBackground = true }.Start();
        if (last && _stopping) _allExited.Set();
    }

    /// <summary>Replaces a dead serving worker with the same generation's configuration and sockets.</summary>
    private void Restart(WorkerProcess dead)
    {
        for (int attempt = 1; !_stopping; attempt++)
        {
            _spawnLock.Wait();
            try
            {
                Generation? generation;
                IReadOnlyList<CarriedServerState> servers;
                lock (_gate)
                {
                    if (_stopping || _current != dead) return;
                    generation = _serving;
                    servers = dead.Servers;
                }
                if (generation is null) return;
                string? failure = StartGeneration(generation, servers, out WorkerProcess? replacement);
                if (failure is null)
                {
                    _log.Info($"{replacement} serving in place of {dead.Pid}");
                    _notifier.Status($"serving: generation {generation.Number}, worker pid {replacement!.Pid} (restarted)");
                    return;
                }
                _log.Alert($"restart attempt {attempt} of generation {generation.Number} failed: {failure}");
            }
            finally
            {
                _spawnLock.Release();
            }
            // A worker that cannot start would otherwise be respawned in a tight loop.
            Thread.Sleep(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Counters of every generation except <paramref name="exclude"/>. Caller holds <see cref="_gate"/>.</summary>
    private CounterSnapshot Baseline(WorkerProcess? exclude)
    {
        var parts = new List<CounterSnapshot> { _ended };
        foreach (WorkerProcess worker in _workers)
        {
            if (worker != exclude) parts.Add(worker.Counters);
        }
        return CounterSnapshot.Sum(parts);
    }

    /// <summary>Sends the serving worker the counters of all the others.</summary>
    private void SendBaseline()
    {
        WorkerProcess? current;
        CounterSnapshot baseline;
        lock (_gate)
        {
            current = _current;
            if (current is null || current.Phase == WorkerPhase.Exited) return;
            baseline = Baseline(exclude: current);
        }
        current.Channel.TrySend(MessageKind.Baseline, baseline.Write);
    }

    /// <summary>Closes sockets no configuration uses and no generation polls. Caller holds <see cref="_gate"/>.</summary>
    private void CloseRetiredSockets()
    {
        int closed = _sockets.CloseRetired(socket => _workers.Any(w =>
            !w.DrainStarted && w.Phase != WorkerPhase.Exited && w.Sockets.Any(a => a.Socket == socket)));
        if (closed > 0) _log.Info($"closed {closed} socket(s) no longer in the configuration");
    }

    /// <summary>Kills a draining worker that outlives its own hard-stop-after by <see cref="KillGrace"/>.</summary>
    private void WatchDeadline(WorkerProcess worker)
    {
        if (worker.HardStopAfter is not { } limit) return;
        _ = Task.Delay(limit + KillGrace).ContinueWith(_ =>
        {
            if (worker.Exited.IsCompleted) return;
            _log.Alert($"{worker} still running {limit.TotalSeconds:0.###} s + {KillGrace.TotalSeconds:0} s after it was told to drain: killing it");
            worker.Kill();
        }, TaskScheduler.Default);
    }

    private void StopWorkers(bool graceful)
    {
        List<WorkerProcess> workers;
        lock (_gate)
        {
            _stopping = true;
            workers = _workers.ToList();
            if (workers.Count == 0) _allExited.Set();
        }
        foreach (WorkerProcess worker in workers)
        {
            lock (_gate)
            {
                if (graceful && worker.Phase != WorkerPhase.Draining)
                {
                    worker.Phase = WorkerPhase.Draining;
                    worker.DrainingSince = DateTime.UtcNow;
                }
            }
            worker.Channel.TrySend(graceful ? MessageKind.Drain : MessageKind.Stop);
            if (graceful) WatchDeadline(worker);
        }
        if (!graceful && !_allExited.Wait(KillGrace))
        {
            foreach (WorkerProcess worker in workers) worker.Kill();
        }
        // A graceful stop has no deadline of its own without hard-stop-after, as HAProxy's soft-stop.
        if (graceful) _allExited.Wait();
        else if (!_allExited.Wait(KillGrace)) _log.Alert("some workers did not exit after SIGKILL");
    }

    /// <summary>Reads and validates the configuration file; prints every diagnostic to <paramref name="errors"/>.</summary>
    private (CompiledConfig?, string?) Load(TextWriter errors)
    {
        string text;
        try
        {
            text = File.ReadAllText(_configPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            // The loader words the failure the way `check` does (FILE:0: cannot read ...).
            return (ConfigFileLoader.Load(_configPath, errors), null);
        }
        return (ConfigFileLoader.LoadText(text, _configPath, errors), text);
    }

    private void Cleanup(string? pidFile)
    {
        _cli?.Dispose();
        lock (_gate) _sockets.CloseAll();
        if (pidFile is not null) PidFile.Delete(pidFile);
    }

    private void RequestStop(PosixSignalContext context, bool graceful)
    {
        context.Cancel = true;
        lock (_gate)
        {
            // SIGINT after SIGTERM turns a slow graceful stop into an immediate one.
            if (_stopRequested.IsSet)
            {
                if (!graceful && _graceful)
                {
                    _graceful = false;
                    foreach (WorkerProcess worker in _workers) worker.Channel.TrySend(MessageKind.Stop);
                }
                return;
            }
            _graceful = graceful;
        }
        _stopRequested.Set();
    }

    private void OnReloadSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        string name = context.Signal == PosixSignal.SIGHUP ? "SIGHUP" : "SIGUSR2";
        ThreadPool.QueueUserWorkItem(_ => Reload(name));
    }

    // ---- master CLI ----------------------------------------------------------------------------------

    /// <summary><c>show proc</c>, HAProxy's layout: the master, the serving worker, then the old ones.</summary>
    public string ShowProc()
    {
        var table = new ProcTable();
        lock (_gate)
        {
            table.Master(_reloads, _failedReloads, _startedAt, _generation);
            table.Section("workers");
            foreach (WorkerProcess worker in _workers.Where(w => w.Phase == WorkerPhase.Serving)) table.Worker(worker);
            var starting = _workers.Where(w => w.Phase == WorkerPhase.Starting).ToList();
            if (starting.Count > 0)
            {
                table.Section("starting workers");
                foreach (WorkerProcess worker in starting) table.Worker(worker, starting: true);
            }
            table.Section("old workers");
            foreach (WorkerProcess worker in _workers.Where(w => w.Phase == WorkerPhase.Draining).OrderBy(w => w.Generation)) table.Worker(worker);
            return table.Finish(_restarts);
        }
    }

    /// <summary>Runs a runtime API command on the serving worker (the master CLI is admin level).</summary>
    public string ForwardToWorker(string line)
    {
        WorkerProcess? worker;
        lock (_gate) worker = _current?.Phase == WorkerPhase.Serving ? _current : null;
        if (worker is null) return "No worker is serving right now.\n\n";
        ChannelMessage? answer = worker.Request(MessageKind.Command, w =>
        {
            w.Write((int)RuntimeApiLevel.Admin);
            w.Write(line);
        }, TimeSpan.FromSeconds(10));
        if (answer is null) return $"{worker} did not answer.\n\n";
        using BinaryReader reader = answer.Reader();
        reader.ReadInt64();
        return reader.ReadString();
    }
}
