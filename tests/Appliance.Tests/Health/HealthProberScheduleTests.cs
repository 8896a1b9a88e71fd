using Appliance.Balancing;
using Appliance.Config.Model;
using Appliance.Health;
using static Appliance.Tests.Balancing.TestBackends;

namespace Appliance.Tests.Health;

/// <summary>The prober's scheduler, rise/fall publishing and log lines, driven by a manual clock (no thread, no I/O).</summary>
public class HealthProberScheduleTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    private readonly ManualTimeProvider _time = new();
    private readonly RecordingEventLog _log = new();
    private readonly ScriptedCheck _check;

    public HealthProberScheduleTests() => _check = new ScriptedCheck(_time);

    private HealthProber Prober(params BackendState[] backends) => new(backends, _log, _time, _ => _check);

    /// <summary>Runs scheduler rounds, moving the clock to each next due time, until <paramref name="until"/>.</summary>
    private void RunUntil(HealthProber prober, TimeSpan until)
    {
        while (true)
        {
            var delay = prober.Poll();
            var next = delay is { } d ? _time.Elapsed + d : TimeSpan.MaxValue;
            if (next > until)
            {
                if (until > _time.Elapsed) _time.Advance(until - _time.Elapsed);
                return;
            }
            _time.Advance(next - _time.Elapsed);
        }
    }

    private TimeSpan[] RunsOf(string server) => _check.Runs.Where(r => r.Server == server).Select(r => r.At).ToArray();

    [Fact]
    public void First_checks_are_spread_over_the_shortest_interval()
    {
        var backend = Backend(BalanceAlgorithm.RoundRobin,
            Server("a", check: true, inter: 900 * Ms), Server("b", check: true, inter: 900 * Ms),
            Server("nocheck"), Server("c", check: true, inter: 3000 * Ms));
        using var prober = Prober(backend);
        Assert.Equal(3, prober.CheckedServerCount);

        RunUntil(prober, 899 * Ms);

        Assert.Equal([TimeSpan.Zero], RunsOf("a"));
        Assert.Equal([300 * Ms], RunsOf("b"));
        Assert.Equal([600 * Ms], RunsOf("c"));
        Assert.Empty(RunsOf("nocheck"));
    }

    [Fact]
    public void Intervals_follow_inter_fastinter_and_downinter()
    {
        var backend = Backend(BalanceAlgorithm.RoundRobin,
            Server("a", check: true, inter: 1000 * Ms, fastInter: 100 * Ms, downInter: 5000 * Ms, rise: 2, fall: 3));
        var a = backend.Servers[0];
        using var prober = Prober(backend);

        // Start: UP but unconfirmed. One success confirms it (HAProxy jumps to full health), then inter.
        RunUntil(prober, 1050 * Ms);
        Assert.Equal([0 * Ms, 1000 * Ms], RunsOf("a"));

        // From 2000: failures at fastinter while going down, DOWN at the third, then downinter.
        _check.Set("a", ScriptedCheck.Refused);
        RunUntil(prober, 2150 * Ms);
        Assert.True(a.IsUp);
        RunUntil(prober, 2250 * Ms);
        Assert.False(a.IsUp);
        Assert.Equal([2000 * Ms, 2100 * Ms, 2200 * Ms], RunsOf("a")[2..]);
        RunUntil(prober, 7150 * Ms);
        Assert.Equal(5, RunsOf("a").Length); // nothing between 2200 and 7200

        // Recovery: going up at fastinter from 7200, UP at the second success, then inter.
        _check.Set("a", ScriptedCheck.Passed);
        RunUntil(prober, 7250 * Ms);
        Assert.False(a.IsUp);
        RunUntil(prober, 8350 * Ms);
        Assert.True(a.IsUp);
        Assert.Equal([7200 * Ms, 7300 * Ms, 8300 * Ms], RunsOf("a")[5..]);

        Assert.Equal(3, a.CheckFailures);
        Assert.Equal(1, a.DownTransitions);
        Assert.Equal(ManualTimeProvider.Epoch + 7300 * Ms, a.LastStateChange);
        Assert.Equal(new CheckReport("L4OK", "Layer4 check passed", null, true, TimeSpan.Zero, ManualTimeProvider.Epoch + 8300 * Ms), a.LastCheck);
    }

    [Fact]
    public void Logs_each_transition_once_in_haproxys_words()
    {
        // The same scenario as a recorded HAProxy 2.6 run, whose stderr lines are asserted verbatim.
        var backend = Backend(BalanceAlgorithm.RoundRobin,
            Server("app1", check: true, inter: 200 * Ms), Server("app2", check: true, inter: 200 * Ms),
            Server("bk1", check: true, inter: 200 * Ms, backup: true));
        using var prober = Prober(backend);
        RunUntil(prober, 1000 * Ms);
        Assert.Empty(_log.Lines);

        _check.Set("app1", ScriptedCheck.Refused);
        RunUntil(prober, 2000 * Ms);
        _check.Set("app2", ScriptedCheck.Refused);
        RunUntil(prober, 3000 * Ms);
        _check.Set("bk1", ScriptedCheck.Refused);
        RunUntil(prober, 4000 * Ms);
        _check.Set("app1", ScriptedCheck.Passed);
        RunUntil(prober, 5000 * Ms);

        Assert.Equal(
        [
            ("WARNING", "Server web_back/app1 is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", check duration: 0ms. 1 active and 1 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue."),
            ("WARNING", "Server web_back/app2 is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", check duration: 0ms. 0 active and 1 backup servers left. Running on backup. 0 sessions active, 0 requeued, 0 remaining in queue."),
            ("WARNING", "Backup Server web_back/bk1 is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", check duration: 0ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue."),
            ("ALERT", "backend 'web_back' has no server available!"),
            ("WARNING", "Server web_back/app1 is UP, reason: Layer4 check passed, check duration: 0ms. 1 active and 0 backup servers online. 0 sessions requeued, 0 total in queue."),
        ], _log.Lines.ToArray());
    }

    [Fact]
    public void Down_line_reports_duration_and_open_sessions()
    {
        var backend = Backend(BalanceAlgorithm.RoundRobin, Server("app1", check: true, fall: 1), Server("app2"));
        var app1 = backend.Servers[0];
        app1.ConnectionOpened(0);
        app1.ConnectionOpened(1);
        _check.Duration = 1500 * Ms + TimeSpan.FromTicks(9999);
        _check.Set("app1", new CheckOutcome(CheckStatus.L4Timeout));
        using var prober = Prober(backend);

        RunUntil(prober, 10 * Ms);

        Assert.Equal(
            "Server web_back/app1 is DOWN, reason: Layer4 timeout, check duration: 1500ms. 1 active and 0 backup servers left. 2 sessions active, 0 requeued, 0 remaining in queue.",
            Assert.Single(_log.Messages));
        Assert.Equal("L4TOUT", app1.LastCheck!.Status);
    }

    [Fact]
    public void Info_text_is_escaped_like_haproxy()
    {
        var backend = Backend(BalanceAlgorithm.RoundRobin, Server("s", check: true, fall: 1));
        _check.Set("s", new CheckOutcome(CheckStatus.L4Connection, "bad \"quote\"\n"));
        using var prober = Prober(backend);
        RunUntil(prober, 10 * Ms);
        Assert.Contains("info: \"bad \\x22quote\\x22\\x0a\",", _log.Messages[0]);
    }

    [Fact]
    public void Maintenance_pauses_checks_and_leaving_it_restarts_at_rise()
    {
        var backend = Backend(BalanceAlgorithm.RoundRobin, Server("a", check: true, inter: 100 * Ms, disabled: true), Server("b"));
        var a = backend.Servers[0];
        _check.Set("a", ScriptedCheck.Refused);
        using var prober = Prober(backend);

        RunUntil(prober, 1000 * Ms);
        Assert.Empty(RunsOf("a"));
        Assert.Null(a.LastCheck);
        Assert.Empty(_log.Lines);

        a.SetAdminState(AdminState.Ready);
        RunUntil(prober, 1150 * Ms);
        Assert.Single(RunsOf("a"));
        Assert.False(a.IsUp); // restarted at "rise": the first failure takes it down
        Assert.Single(_log.Messages);

        // Maintenance while down, then back: UP again without waiting for rise successes.
        a.SetAdminState(AdminState.Maint);
        RunUntil(prober, 2000 * Ms);
        int runs = RunsOf("a").Length;
        _check.Set("a", ScriptedCheck.Passed);
        a.SetAdminState(AdminState.Ready);
        RunUntil(prober, 2150 * Ms); // noticed at the next paused tick, within inter
        Assert.True(a.IsUp);
        Assert.Equal(runs + 1, RunsOf("a").Length);
    }

    [Fact]
    public void Servers_added_and_deleted_at_runtime_gain_and_lose_their_checks()
    {
        var backend = Backend(BalanceAlgorithm.RoundRobin, Server("a"));
        using var prober = Prober(backend);
        RunUntil(prober, 500 * Ms);
        Assert.Equal(0, prober.CheckedServerCount);

        // Added in maintenance (as add server does): tracked, but not checked until enabled.
        ServerState added = backend.TryAdd(Server("dyn", check: true, inter: 100 * Ms, disabled: true), out _)!;
        backend.TryAdd(Server("unchecked", disabled: true), out _);
        RunUntil(prober, 1000 * Ms);
        Assert.Equal(1, prober.CheckedServerCount);
        Assert.Empty(RunsOf("dyn"));

        _check.Set("dyn", ScriptedCheck.Refused);
        added.SetAdminState(AdminState.Ready);
        RunUntil(prober, 1400 * Ms);
        // As HAProxy: a server added at runtime is not checked until 'enable health'; unchecked, it is UP.
        Assert.Empty(RunsOf("dyn"));
        Assert.True(added.IsUp);

        added.SetHealthChecks(true);
        RunUntil(prober, 1800 * Ms);
        Assert.NotEmpty(RunsOf("dyn"));
        Assert.False(added.IsUp);

        // 'disable health': no more checks, and the server counts as UP again.
        added.SetHealthChecks(false);
        RunUntil(prober, 2000 * Ms);
        int checkedRuns = RunsOf("dyn").Length;
        Assert.True(added.IsUp);
        RunUntil(prober, 2400 * Ms);
        Assert.Equal(checkedRuns, RunsOf("dyn").Length);

        added.SetAdminState(AdminState.Maint);
        backend.Remove(added);
        RunUntil(prober, 2500 * Ms);
        int runs = RunsOf("dyn").Length;
        Assert.Equal(0, prober.CheckedServerCount);
        RunUntil(prober, 4000 * Ms);
        Assert.Equal(runs, RunsOf("dyn").Length);
        Assert.Empty(RunsOf("unchecked"));
    }

    [Fact]
    public void Drained_servers_are_still_checked_and_not_counted_as_usable()
    {
        var backend = Backend(BalanceAlgorithm.RoundRobin, Server("a", check: true, fall: 1), Server("b"));
        backend.Servers[1].SetAdminState(AdminState.Drain);
        _check.Set("a", ScriptedCheck.Refused);
        using var prober = Prober(backend);
        RunUntil(prober, 10 * Ms);

        Assert.Contains("0 active and 0 backup servers left", _log.Messages[0]);
        Assert.Equal("backend 'web_back' has no server available!", _log.Messages[1]);
    }

    [Fact]
    public void A_throwing_check_kind_counts_as_a_socket_error()
    {
        var backend = Backend(BalanceAlgorithm.RoundRobin, Server("a", check: true, fall: 1));
        using var prober = new HealthProber([backend], _log, _time, _ => new ThrowingCheck());
        RunUntil(prober, 10 * Ms);
        Assert.Equal("SOCKERR", backend.Servers[0].LastCheck!.Status);
        Assert.False(backend.Servers[0].IsUp);
    }

    private sealed class ThrowingCheck : IHealthCheck
    {
        public Task<CheckOutcome> RunAsync(ServerState server, CheckTimeouts timeouts, CancellationToken stopping) =>
            throw new InvalidOperationException("boom");
    }
}
