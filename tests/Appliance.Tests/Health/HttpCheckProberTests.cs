using System.Text.RegularExpressions;
using Appliance.Balancing;
using Appliance.Config.Model;
using Appliance.Health;
using Appliance.Tests.Config;
using static Appliance.Tests.Balancing.TestBackends;

namespace Appliance.Tests.Health;

/// <summary>
/// The prober running HTTP checks chosen by <see cref="HealthCheckKinds"/> against a loopback responder
/// whose answer changes: transitions and HAProxy's log lines. Deadlines, never sleeps.
/// </summary>
public class HttpCheckProberTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nready";
    private const string Unavailable = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n";

    [Fact]
    public async Task Server_goes_down_on_a_wrong_status_and_up_again_with_haproxy_log_lines()
    {
        using var app = new ScriptedHttpServer(Ok);
        // inter 100ms also bounds the connect (HAProxy's rule); timeout check keeps the response phase
        // roomy for a loaded machine, so only the status decides.
        var config = ConfigTestSupport.LoadValid(
            "backend be\n timeout check 2s\n option httpchk GET /health\n http-check expect status 200\n" +
            $" server s1 127.0.0.1:{app.Port} check inter 100ms rise 2 fall 2\n");
        var backend = new BackendState(config.Backends[0], shardCount: 1);
        var server = backend.Servers[0];
        var log = new RecordingEventLog();
        using var prober = new HealthProber([backend], log, checkKind: HealthCheckKinds.For);
        prober.Start();

        await Eventually.True(() => server.LastCheck is { Status: "L7OK" }, "first HTTP check passed");
        Assert.Equal(new CheckReport("L7OK", "Layer7 check passed", "OK", true, server.LastCheck!.Duration, server.LastCheck.CompletedAt, 200),
            server.LastCheck);
        Assert.StartsWith("GET /health HTTP/1.0\r\n", app.Requests.First(), StringComparison.Ordinal);

        app.Answer(Unavailable);
        await Eventually.True(() => !server.IsUp, "s1 DOWN");
        await Eventually.True(() => log.Lines.Count >= 2, "DOWN line and alert");
        Assert.Equal(("L7STS", 503, "Service Unavailable"), (server.LastCheck!.Status, server.LastCheck.Code, server.LastCheck.Info));

        app.Answer(Ok);
        await Eventually.True(() => server.IsUp, "s1 UP again");
        await Eventually.True(() => log.Lines.Count >= 3, "UP line");

        var lines = log.Lines.ToArray();
        Assert.Equal(3, lines.Length);
        Assert.Equal("WARNING", lines[0].Level);
        Assert.Matches(new Regex(@"^Server be/s1 is DOWN, reason: Layer7 wrong status, code: 503, info: ""Service Unavailable"", check duration: \d+ms\. 0 active and 0 backup servers left\. 0 sessions active, 0 requeued, 0 remaining in queue\.$"),
            lines[0].Message);
        Assert.Equal(("ALERT", "backend 'be' has no server available!"), lines[1]);
        Assert.Equal("WARNING", lines[2].Level);
        Assert.Matches(new Regex(@"^Server be/s1 is UP, reason: Layer7 check passed, code: 200, info: ""OK"", check duration: \d+ms\. 1 active and 0 backup servers online\. 0 sessions requeued, 0 total in queue\.$"),
            lines[2].Message);
    }

    [Fact]
    public async Task A_body_mismatch_takes_the_server_down_as_an_invalid_response()
    {
        using var app = new ScriptedHttpServer(Ok);
        var config = ConfigTestSupport.LoadValid(
            "defaults\n timeout check 2s\n option httpchk GET /\n http-check expect string ready\n" +
            $"backend be\n server s1 127.0.0.1:{app.Port} check inter 100ms fall 1\n");
        var backend = new BackendState(config.Backends[0], shardCount: 1);
        var log = new RecordingEventLog();
        using var prober = new HealthProber([backend], log, checkKind: HealthCheckKinds.For);
        prober.Start();
        await Eventually.True(() => backend.Servers[0].LastCheck is { Passed: true }, "first check passed");

        app.Answer("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nstarting");
        await Eventually.True(() => log.Lines.Count >= 1, "DOWN line");
        Assert.Matches(new Regex(@"^Server be/s1 is DOWN, reason: Layer7 invalid response, info: ""HTTP content check did not match"", check duration: \d+ms\. "),
            log.Lines.First().Message);
    }

    [Fact]
    public void Down_and_up_lines_put_the_code_between_reason_and_info()
    {
        var server = Backend(BalanceAlgorithm.RoundRobin, Server("s1", check: true), Server("s2", check: true)).Servers[0];
        var wrong = new CheckOutcome(CheckStatus.L7Status, "Service Unavailable", 503);
        Assert.Equal("Server web_back/s1 is DOWN, reason: Layer7 wrong status, code: 503, info: \"Service Unavailable\", check duration: 1ms. " +
            "1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
            StateChangeMessage.ServerDown(server, wrong, TimeSpan.FromMilliseconds(1.7), 1, 0));
        Assert.Equal("Server web_back/s1 is UP, reason: Layer7 check passed, code: 200, info: \"OK\", check duration: 2ms. " +
            "2 active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
            StateChangeMessage.ServerUp(server, new CheckOutcome(CheckStatus.L7Ok, "OK", 200), TimeSpan.FromMilliseconds(2), 2, 0));
        Assert.Equal("Server web_back/s1 is DOWN, reason: Layer7 timeout, check duration: 2000ms. " +
            "1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.",
            StateChangeMessage.ServerDown(server, new CheckOutcome(CheckStatus.L7Timeout), TimeSpan.FromSeconds(2), 1, 0));
    }
}
