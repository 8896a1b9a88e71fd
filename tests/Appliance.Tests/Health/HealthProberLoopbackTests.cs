using System.Text.RegularExpressions;
using Appliance.Balancing;
using Appliance.Config.Model;
using Appliance.Health;
using static Appliance.Tests.Balancing.TestBackends;

namespace Appliance.Tests.Health;

/// <summary>The prober thread against real loopback listeners, with short intervals and deadlines instead of sleeps.</summary>
public class HealthProberLoopbackTests
{
    // inter also bounds the connect timeout (HAProxy's rule), so it is kept roomy (HAProxy's default, 2 s): under a
    // full parallel test run, async connect completions can wait on a busy thread pool for hundreds of ms.
    // fastinter/downinter keep transitions quick.
    private static readonly TimeSpan Inter = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task Server_goes_down_after_fall_failures_and_up_after_rise_successes()
    {
        using var app1 = new LoopbackListener();
        using var app2 = new LoopbackListener();
        var backend = Backend(BalanceAlgorithm.RoundRobin,
            Server("app1", check: true, port: app1.EndPoint.Port, inter: Inter, fastInter: Fast, downInter: Fast, rise: 2, fall: 3),
            Server("app2", check: true, port: app2.EndPoint.Port, inter: Inter, fastInter: Fast, downInter: Fast, rise: 2, fall: 3));
        var server = backend.Servers[0];
        var counting = new CountingCheck(new TcpConnectCheck());
        var log = new RecordingEventLog();
        long failuresAtDown = -1, successesAtUp = -1;
        log.OnLine = line =>
        {
            if (line.Contains("app1 is DOWN")) failuresAtDown = server.CheckFailures;
            if (line.Contains("app1 is UP")) successesAtUp = counting.PassedSince("app1");
        };

        using var prober = new HealthProber([backend], log, checkKind: _ => counting);
        prober.Start();
        await Eventually.True(() => server.LastCheck is { Passed: true } && counting.Passed("app1") >= 2, "app1 confirmed UP");
        Assert.Empty(log.Lines);

        app1.Close();
        await Eventually.True(() => !server.IsUp, "app1 DOWN");
        await Eventually.True(() => log.Lines.Count >= 1, "DOWN line");
        Assert.Equal(3, failuresAtDown);
        Assert.Equal("L4CON", server.LastCheck!.Status);
        Assert.Equal("Connection refused", server.LastCheck.Info);

        counting.MarkFrom("app1");
        app1.Reopen();
        await Eventually.True(() => server.IsUp, "app1 UP again");
        await Eventually.True(() => log.Lines.Count >= 2, "UP line");
        Assert.Equal(2, successesAtUp);

        var lines = log.Lines.ToArray();
        Assert.Equal(2, lines.Length);
        Assert.Equal("WARNING", lines[0].Level);
        Assert.Matches(new Regex(@"^Server web_back/app1 is DOWN, reason: Layer4 connection problem, info: ""Connection refused"", check duration: \d+ms\. 1 active and 0 backup servers left\. 0 sessions active, 0 requeued, 0 remaining in queue\.$"), lines[0].Message);
        Assert.Matches(new Regex(@"^Server web_back/app1 is UP, reason: Layer4 check passed, check duration: \d+ms\. 2 active and 0 backup servers online\. 0 sessions requeued, 0 total in queue\.$"), lines[1].Message);
        Assert.Equal(1, server.DownTransitions);
        Assert.True(backend.Servers[1].IsUp);
    }

    [Fact]
    public async Task Last_server_down_raises_the_backend_alert()
    {
        using var app = new LoopbackListener();
        int port = app.EndPoint.Port;
        app.Close();
        var backend = Backend(BalanceAlgorithm.RoundRobin, Server("only", check: true, port: port, inter: Inter, fastInter: Fast, downInter: Fast));
        var log = new RecordingEventLog();
        using var prober = new HealthProber([backend], log);
        prober.Start();

        await Eventually.True(() => log.Lines.Count >= 2, "DOWN line and alert");
        Assert.True(log.Lines.First().Message.StartsWith("Server web_back/only is DOWN, reason: Layer4 connection problem", StringComparison.Ordinal), log.Lines.First().Message);
        Assert.Equal(("ALERT", "backend 'web_back' has no server available!"), log.Lines.Last());
    }

    [Fact]
    public async Task Stop_is_prompt_and_cancels_checks_in_flight()
    {
        var backend = Backend(BalanceAlgorithm.RoundRobin,
            Server("a", check: true, inter: TimeSpan.FromSeconds(30)), Server("b", check: true, inter: TimeSpan.FromSeconds(30)));
        var hanging = new HangingCheck();
        var prober = new HealthProber([backend], new RecordingEventLog(), checkKind: _ => hanging);
        prober.Start();
        await Eventually.True(() => hanging.Started >= 1, "a check in flight");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        prober.Dispose();
        prober.Stop(); // idempotent

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"stop took {watch.Elapsed}");
        Assert.Equal(hanging.Started, hanging.Cancelled);
        Assert.Throws<ObjectDisposedException>(prober.Start);
    }

    [Fact]
    public void Without_checked_servers_start_and_stop_do_nothing()
    {
        using var prober = new HealthProber([Backend(BalanceAlgorithm.RoundRobin, Server("a"))], new RecordingEventLog());
        Assert.Equal(0, prober.CheckedServerCount);
        prober.Start();
        Assert.Throws<InvalidOperationException>(prober.Start);
    }

    /// <summary>Wraps a real check kind and counts its verdicts per server.</summary>
    private sealed class CountingCheck(IHealthCheck inner) : IHealthCheck
    {
        private readonly Dictionary<string, (int Passed, int Mark)> _counts = [];

        public int Passed(string server)
        {
            lock (_counts) return _counts.GetValueOrDefault(server).Passed;
        }

        public int PassedSince(string server)
        {
            lock (_counts)
            {
                var c = _counts.GetValueOrDefault(server);
                return c.Passed - c.Mark;
            }
        }

        public void MarkFrom(string server)
        {
            lock (_counts)
            {
                var c = _counts.GetValueOrDefault(server);
                _counts[server] = (c.Passed, c.Passed);
            }
        }

        public async Task<CheckOutcome> RunAsync(ServerState server, CheckTimeouts timeouts, CancellationToken stopping)
        {
            var outcome = await inner.RunAsync(server, timeouts, stopping);
            if (outcome.Passed)
            {
                lock (_counts)
                {
                    var c = _counts.GetValueOrDefault(server.Name);
                    _counts[server.Name] = (c.Passed + 1, c.Mark);
                }
            }
            return outcome;
        }
    }

    /// <summary>Never answers; counts how many runs were cancelled by stop.</summary>
    private sealed class HangingCheck : IHealthCheck
    {
        private int _started;
        private int _cancelled;

        public int Started => Volatile.Read(ref _started);

        public int Cancelled => Volatile.Read(ref _cancelled);

        public async Task<CheckOutcome> RunAsync(ServerState server, CheckTimeouts timeouts, CancellationToken stopping)
        {
            Interlocked.Increment(ref _started);
            try
            {
                await Task.Delay(Timeout.Infinite, stopping);
            }
            finally
            {
                Interlocked.Increment(ref _cancelled);
            }
            return new CheckOutcome(CheckStatus.L4Ok);
        }
    }
}
