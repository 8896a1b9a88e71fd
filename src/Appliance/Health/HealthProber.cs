using System.Collections.Concurrent;
using Appliance.Balancing;
using Appliance.Logging;

namespace Appliance.Health;

/// <summary>
/// Runs the health checks of every server with <c>check</c>, in every backend: one instance per worker
/// process, not per shard. Results are published into <see cref="ServerState"/> (operational state, last
/// <see cref="CheckReport"/>, counters), which shards read without locks; each UP/DOWN transition logs
/// exactly one line in HAProxy's wording.
/// <para>
/// Threading: one dedicated background thread runs the scheduler — it applies finished checks to the
/// rise/fall state machines, publishes, logs, and starts checks that are due — then sleeps on an event
/// until the earliest due time (a <see cref="TimeProvider"/> timer), a check finishing, or
/// <see cref="Stop"/>. The checks themselves are asynchronous sockets multiplexed by .NET's socket
/// engine, so one slow or black-holed server never delays the others' schedule, and thousands of
/// in-flight connects cost no threads. A thread (rather than a loop of awaits on the thread pool) keeps
/// all bookkeeping single-threaded and lets <see cref="Stop"/> end it with a bounded
/// <see cref="Thread.Join(TimeSpan)"/>. None of this is on the data path.
/// </para>
/// <para>
/// Scheduling follows HAProxy: first checks are spread evenly over the shortest interval by position
/// (server i of n starts at i/n of it), each next check is due one interval after the previous one
/// finished, with <c>inter</c>/<c>fastinter</c>/<c>downinter</c> chosen by <see cref="HealthCheckState"/>.
/// Servers in maintenance are not checked (HAProxy pauses their checks); when one leaves maintenance its
/// counter restarts at <c>rise</c> (UP, one failure from DOWN) and it is checked at once.
/// </para>
/// <para>
/// Servers added or deleted at runtime (<c>add/del server</c>): the backend's
/// <see cref="BackendState.ServersChanged"/> flags a resync and wakes the thread, which then creates or
/// drops the checks itself, so the check list is only ever touched by the prober thread. A dynamic
/// server starts in maintenance, so its checks begin once it is enabled.
/// </para>
/// </summary>
public sealed class HealthProber : IDisposable
{
    /// <summary>Upper bound for <see cref="Stop"/> to wait for the thread and for in-flight checks.</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    private readonly List<ScheduledCheck> _checks = [];
    private readonly Dictionary<ServerState, ScheduledCheck> _checkOf = new(ReferenceEqualityComparer.Instance);
    private readonly BackendState[] _backends;
    private readonly Func<BackendState, IHealthCheck> _checkKind;
    private readonly Dictionary<BackendState, IHealthCheck> _kindOf = new(ReferenceEqualityComparer.Instance);
    private readonly IEventLog _log;
    private readonly TimeProvider _time;
    private readonly ConcurrentQueue<ScheduledCheck> _finished = new();
    private readonly ManualResetEventSlim _wake = new(initialState: false);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ITimer _timer;
    private Thread? _thread;
    private bool _firstChecksScheduled;
    private int _started;
    private int _stopped;
    private int _resync;

    /// <param name="backends">Every backend of the worker; only servers with <c>check</c> are probed.</param>
    /// <param name="log">Receives one line per UP/DOWN transition.</param>
    /// <param name="time">Clock for scheduling, durations and timestamps; tests inject a manual one.</param>
    /// <param name="checkKind">
    /// The check kind for a backend; defaults to <see cref="TcpConnectCheck"/>.
    /// <see cref="HealthCheckKinds.For(BackendState)"/> gives <c>option httpchk</c> backends their HTTP check.
    /// </param>
    public HealthProber(
        IEnumerable<BackendState> backends,
        IEventLog log,
        TimeProvider? time = null,
        Func<BackendState, IHealthCheck>? checkKind = null)
    {
        ArgumentNullException.ThrowIfNull(backends);
        ArgumentNullException.ThrowIfNull(log);
        _log = log;
        _time = time ?? TimeProvider.System;
        var tcp = new TcpConnectCheck(_time);
        _checkKind = checkKind ?? (_ => tcp);
        _backends = backends.ToArray();
        foreach (var backend in _backends)
        {
            foreach (var server in backend.Servers) Track(server);
            backend.ServersChanged += OnServersChanged;
        }
        _timer = _time.CreateTimer(WakeUp, _wake, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Number of servers this prober checks (before <see cref="Start"/>, or from the prober thread).</summary>
    public int CheckedServerCount => _checks.Count;

    /// <summary>
    /// Starts the prober thread. It runs even when no server has <c>check</c> yet: one may be added at
    /// runtime, and an idle prober thread only sleeps.
    /// </summary>
    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _stopped) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0) throw new InvalidOperationException("The health prober is already started.");
        _thread = new Thread(Run) { IsBackground = true, Name = "health-prober" };
        _thread.Start();
    }

    /// <summary>
    /// Stops checking: cancels in-flight checks (closing their sockets), joins the thread and waits for the
    /// checks to finish, each wait bounded by <see cref="StopTimeout"/>. Idempotent.
    /// </summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
        foreach (var backend in _backends) backend.ServersChanged -= OnServersChanged;
        _stopping.Cancel();
        _wake.Set();

        bool joined = _thread is null || _thread.Join(StopTimeout);
        if (!joined) _log.Warning("Health prober thread did not stop in time.");

        var running = new List<Task>();
        foreach (var check in _checks)
        {
            if (check.Running is { IsCompleted: false } task) running.Add(task);
        }
        bool drained = running.Count == 0 || WaitQuietly(running, StopTimeout);
        if (!drained) _log.Warning("Some health checks did not finish in time after stop.");

        _timer.Dispose();
        // A straggling thread or check would still touch these: leave them to the GC in that unlikely case.
        if (joined && drained)
        {
            _wake.Dispose();
            _stopping.Dispose();
        }
    }

    public void Dispose() => Stop();

    private void Run()
    {
        while (!_stopping.IsCancellationRequested)
        {
            // Reset before polling: a check finishing after this point sets the event again, so the
            // Wait below returns at once and its result is applied on the next round.
            _wake.Reset();
            TimeSpan? delay;
            try
            {
                delay = Poll();
            }
            catch (Exception e)
            {
                // A bug in a check kind or in publishing must not silently end all health checking.
                _log.Alert($"Health prober error: {e.GetType().Name}: {e.Message}");
                delay = TimeSpan.FromSeconds(1);
            }
            _timer.Change(delay ?? Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _wake.Wait();
        }
    }

    /// <summary>
    /// One scheduler round: applies finished checks, starts due ones, and returns the delay until the
    /// next due check (null when every check is in flight or there are none). Called by the prober thread;
    /// tests call it directly with a manual clock and synchronous check kinds.
    /// </summary>
    internal TimeSpan? Poll()
    {
        long now = _time.GetTimestamp();
        if (Interlocked.Exchange(ref _resync, 0) != 0) Resync(now);
        if (!_firstChecksScheduled)
        {
            ScheduleFirstChecks(now);
            _firstChecksScheduled = true;
        }

        // A second round picks up checks that completed synchronously while being started, so their
        // next due time counts in the returned delay.
        for (int round = 0; round < 2; round++)
        {
            while (_finished.TryDequeue(out var finished)) Complete(finished);
            now = _time.GetTimestamp();
            foreach (var check in _checks)
            {
                if (!check.InFlight && check.DueAt <= now) Launch(check, now);
            }
            if (_finished.IsEmpty) break;
        }

        long next = long.MaxValue;
        foreach (var check in _checks)
        {
            if (!check.InFlight && check.DueAt < next) next = check.DueAt;
        }
        return next == long.MaxValue ? null : _time.GetElapsedTime(now, Math.Max(next, now));
    }

    private void OnServersChanged(BackendState backend)
    {
        Volatile.Write(ref _resync, 1);
        try
        {
            _wake.Set();
        }
        catch (ObjectDisposedException)
        {
            // Stopped meanwhile: nothing to check any more.
        }
    }

    /// <summary>Adds a check for a checked server not seen yet. Constructor, or prober thread.</summary>
    private ScheduledCheck? Track(ServerState server)
    {
        if (!server.Config.Check || _checkOf.ContainsKey(server)) return null;
        if (!_kindOf.TryGetValue(server.Backend, out IHealthCheck? kind))
        {
            kind = _checkKind(server.Backend);
            _kindOf.Add(server.Backend, kind);
        }
        var check = new ScheduledCheck(server, kind);
        _checks.Add(check);
        _checkOf.Add(server, check);
        return check;
    }

    /// <summary>
    /// Follows runtime additions and deletions: new checked servers get a check due now (it pauses at
    /// once while the server is in maintenance), deleted ones lose theirs (a verdict still in flight is
    /// dropped by <see cref="Complete"/>). Prober thread only.
    /// </summary>
    private void Resync(long now)
    {
        foreach (var backend in _backends)
        {
            foreach (var server in backend.Servers)
            {
                if (Track(server) is { } added) added.DueAt = now;
            }
        }
        for (int i = _checks.Count - 1; i >= 0; i--)
        {
            ScheduledCheck check = _checks[i];
            if (!check.Server.IsDeleted) continue;
            check.Removed = true;
            _checks.RemoveAt(i);
            _checkOf.Remove(check.Server);
        }
    }

    private void ScheduleFirstChecks(long now)
    {
        if (_checks.Count == 0) return;
        TimeSpan window = TimeSpan.MaxValue;
        foreach (var check in _checks)
        {
            var interval = check.NextInterval();
            if (interval < window) window = interval;
        }
        for (int i = 0; i < _checks.Count; i++)
        {
            _checks[i].DueAt = now + ToTimestampTicks(window * i / _checks.Count);
        }
    }

    private void Launch(ScheduledCheck check, long now)
    {
        var server = check.Server;
        if (!server.HealthChecksEnabled)
        {
            // 'disable health' (or a runtime-added server before 'enable health'): unchecked, hence UP, as
            // HAProxy; the prober is the state's only writer, so it is applied here.
            check.Paused = true;
            check.DueAt = now + ToTimestampTicks(check.Inter);
            server.SetOperationalState(OperationalState.Up, _time.GetUtcNow());
            return;
        }
        if (server.AdminState == AdminState.Maint)
        {
            check.Paused = true;
            check.DueAt = now + ToTimestampTicks(check.Inter);
            return;
        }
        if (check.Paused)
        {
            // Leaving maintenance, as HAProxy: start over at "rise" (UP, falls at the first failure) and
            // check now. Not logged here: the admin change that ended maintenance is the event.
            check.Paused = false;
            check.State.Reset();
            server.SetOperationalState(OperationalState.Up, _time.GetUtcNow());
        }

        check.InFlight = true;
        check.StartedAt = now;
        check.Running = RunCheckAsync(check);
    }

    private async Task RunCheckAsync(ScheduledCheck check)
    {
        CheckOutcome outcome;
        try
        {
            outcome = await check.Check.RunAsync(check.Server, check.Timeouts, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            outcome = new CheckOutcome(CheckStatus.SocketError, e.Message);
        }

        check.FinishedAt = _time.GetTimestamp();
        check.Outcome = outcome;
        _finished.Enqueue(check);
        if (!_stopping.IsCancellationRequested) _wake.Set();
    }

    private void Complete(ScheduledCheck check)
    {
        check.InFlight = false;
        check.Running = null;
        if (_stopping.IsCancellationRequested || check.Removed) return;

        var server = check.Server;
        if (server.AdminState == AdminState.Maint || !server.HealthChecksEnabled)
        {
            // Maintenance began (or checks were disabled) while the check ran: its verdict is dropped, as HAProxy pauses checks.
            check.Paused = true;
            check.DueAt = check.FinishedAt + ToTimestampTicks(check.Inter);
            return;
        }

        var outcome = check.Outcome;
        var duration = _time.GetElapsedTime(check.StartedAt, check.FinishedAt);
        var at = _time.GetUtcNow();
        server.PublishCheck(new CheckReport(outcome.Status.Code, outcome.Status.Description, outcome.Info,
            outcome.Passed, duration, at, outcome.Code));

        var transition = outcome.Passed ? check.State.RecordSuccess() : check.State.RecordFailure();
        if (transition == HealthTransition.WentDown)
        {
            var (activeBefore, backupBefore) = server.Backend.CountUsable();
            if (server.SetOperationalState(OperationalState.Down, at))
            {
                var (active, backup) = server.Backend.CountUsable();
                _log.Warning(StateChangeMessage.ServerDown(server, outcome, duration, active, backup));
                if (activeBefore + backupBefore > 0 && active + backup == 0)
                {
                    _log.Alert(StateChangeMessage.NoServerAvailable(server.Backend));
                }
            }
        }
        else if (transition == HealthTransition.WentUp)
        {
            if (server.SetOperationalState(OperationalState.Up, at))
            {
                var (active, backup) = server.Backend.CountUsable();
                _log.Warning(StateChangeMessage.ServerUp(server, outcome, duration, active, backup));
            }
        }

        // HAProxy counts the next interval from the end of the check, not from its start.
        check.DueAt = check.FinishedAt + ToTimestampTicks(check.NextInterval());
    }

    private static void WakeUp(object? wake)
    {
        try
        {
            ((ManualResetEventSlim)wake!).Set();
        }
        catch (ObjectDisposedException)
        {
            // Stop() disposed the event while this timer callback was already running: nothing to wake.
        }
    }

    private long ToTimestampTicks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private static bool WaitQuietly(List<Task> tasks, TimeSpan timeout)
    {
        try
        {
            return Task.WaitAll(tasks.ToArray(), timeout);
        }
        catch (AggregateException)
        {
            return true; // they finished, some with an error nobody needs any more
        }
    }
}
