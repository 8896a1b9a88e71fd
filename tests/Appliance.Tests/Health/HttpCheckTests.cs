using System.Net;
using System.Net.Sockets;
using System.Text;
using Appliance.Balancing;
using Appliance.Config.Model;
using Appliance.Health;
using Appliance.Tests.Config;
using static Appliance.Tests.Balancing.TestBackends;

namespace Appliance.Tests.Health;

/// <summary>The HTTP check against real loopback responders: requests sent, responses judged, HAProxy's verdicts.</summary>
public class HttpCheckTests
{
    private static readonly CheckTimeouts Roomy = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));

    /// <summary>The check config that <paramref name="lines"/> give a backend, read through the real config loader.</summary>
    private static HttpCheckConfig Configured(string lines) =>
        ConfigTestSupport.SingleBackend(lines + "\n server s 127.0.0.1:80 check\n").HttpCheck!;

    private static ServerState ServerAt(int port, int? checkPort = null)
    {
        var config = Server("s", check: true, port: port) with { CheckPort = checkPort };
        return Backend(BalanceAlgorithm.RoundRobin, config).Servers[0];
    }

    private static Task<CheckOutcome> Run(string lines, ScriptedHttpServer server, CheckTimeouts? timeouts = null) =>
        new HttpCheck(Configured(lines)).RunAsync(ServerAt(server.Port), timeouts ?? Roomy, CancellationToken.None);

    private static string Response(string statusLine, string body = "", string? extraHeaders = null) =>
        $"{statusLine}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n{extraHeaders}\r\n{body}";

    [Fact]
    public async Task Default_check_sends_options_http10_and_passes_on_200()
    {
        using var server = new ScriptedHttpServer(Response("HTTP/1.1 200 OK"));
        var outcome = await Run(" option httpchk", server);
        Assert.Equal(new CheckOutcome(CheckStatus.L7Ok, "OK", 200), outcome);
        Assert.Equal("OPTIONS / HTTP/1.0\r\nConnection: close\r\n\r\n", Assert.Single(server.Requests));
    }

    [Theory]
    [InlineData("HTTP/1.1 301 Moved Permanently", 301, true)]
    [InlineData("HTTP/1.0 204 No Content", 204, true)]
    [InlineData("HTTP/1.1 404 Not Found", 404, false)]
    [InlineData("HTTP/1.1 503 Service Unavailable", 503, false)]
    public async Task Default_expectation_is_2xx_or_3xx(string statusLine, int code, bool passes)
    {
        using var server = new ScriptedHttpServer(Response(statusLine));
        var outcome = await Run(" option httpchk GET /health", server);
        var expected = passes ? CheckStatus.L7Ok : CheckStatus.L7Status;
        Assert.Equal(new CheckOutcome(expected, statusLine[13..], code), outcome);
    }

    [Fact]
    public async Task Wrong_status_is_L7STS_with_code_and_reason()
    {
        using var server = new ScriptedHttpServer(Response("HTTP/1.1 503 Service Unavailable"));
        var outcome = await Run(" option httpchk GET /health\n http-check expect status 200", server);
        Assert.Equal(new CheckOutcome(CheckStatus.L7Status, "Service Unavailable", 503), outcome);
        Assert.Equal("Layer7 wrong status", outcome.Status.Description);
        Assert.False(outcome.Passed);
    }

    [Fact]
    public async Task Configured_request_is_sent_as_written()
    {
        using var server = new ScriptedHttpServer(Response("HTTP/1.1 200 OK"));
        var outcome = await Run(" option httpchk\n http-check send meth POST uri /ping?x=1 ver HTTP/1.1 hdr Host app.example hdr X-Probe yes body {}", server);
        Assert.True(outcome.Passed, outcome.ToString());
        Assert.Equal("POST /ping?x=1 HTTP/1.1\r\nHost: app.example\r\nX-Probe: yes\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
            Assert.Single(server.Requests));
    }

    [Fact]
    public async Task A_configured_connection_header_replaces_connection_close()
    {
        using var server = new ScriptedHttpServer(Response("HTTP/1.1 200 OK"));
        await Run(" option httpchk\n http-check send hdr Connection keep-alive", server);
        Assert.Equal("OPTIONS / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", Assert.Single(server.Requests));
    }

    [Theory]
    [InlineData("status 200,204", "HTTP/1.1 204 No Content", true)]
    [InlineData("status 500-599", "HTTP/1.1 503 Service Unavailable", true)]
    [InlineData("! status 503", "HTTP/1.1 503 Service Unavailable", false)]
    [InlineData("! status 503", "HTTP/1.1 200 OK", true)]
    [InlineData("rstatus ^2[0-9][0-9]$", "HTTP/1.1 201 Created", true)]
    [InlineData("rstatus ^2", "HTTP/1.1 302 Found", false)]
    [InlineData("! rstatus ^5", "HTTP/1.1 302 Found", true)]
    public async Task Status_expectations(string expect, string statusLine, bool passes)
    {
        using var server = new ScriptedHttpServer(Response(statusLine));
        var outcome = await Run(" option httpchk\n http-check expect " + expect, server);
        Assert.Equal(passes ? CheckStatus.L7Ok : CheckStatus.L7Status, outcome.Status);
        Assert.Equal(int.Parse(statusLine[9..12], System.Globalization.CultureInfo.InvariantCulture), outcome.Code);
    }

    [Theory]
    [InlineData("string ready", "status: ready", true, null)]
    [InlineData("string ready", "status: starting", false, "HTTP content check did not match")]
    [InlineData("! string maintenance", "status: ready", true, null)]
    [InlineData("! string maintenance", "in maintenance", false, "HTTP check matched unwanted content")]
    [InlineData("rstring \"\\\"status\\\": *\\\"(ok|degraded)\\\"\"", "{\"status\": \"degraded\"}", true, null)]
    [InlineData("rstring ^ok$", "not ok", false, "HTTP content check did not match")]
    [InlineData("! rstring err(or)?", "all good", true, null)]
    public async Task Body_expectations(string expect, string body, bool passes, string? info)
    {
        using var server = new ScriptedHttpServer(Response("HTTP/1.1 200 OK", body));
        var outcome = await Run(" option httpchk GET /\n http-check expect " + expect, server);
        Assert.Equal(passes ? new CheckOutcome(CheckStatus.L7Ok, "OK", 200) : new CheckOutcome(CheckStatus.L7Response, info), outcome);
    }

    [Fact]
    public async Task Chunked_bodies_are_matched_after_dechunking()
    {
        // The text is split across chunks, so only the decoded body contains it.
        using var server = new ScriptedHttpServer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nall \r\n5\r\nready\r\n0\r\nX-Trailer: 1\r\n\r\n");
        var outcome = await Run(" option httpchk GET /\n http-check expect string \"all ready\"", server);
        Assert.Equal(new CheckOutcome(CheckStatus.L7Ok, "OK", 200), outcome);
    }

    [Fact]
    public async Task Close_delimited_bodies_are_read_to_the_close()
    {
        using var server = new ScriptedHttpServer("HTTP/1.0 200 OK\r\n\r\nline one\nline two: healthy\n");
        var outcome = await Run(" option httpchk GET /\n http-check expect string healthy", server);
        Assert.Equal(new CheckOutcome(CheckStatus.L7Ok, "OK", 200), outcome);
    }

    [Fact]
    public async Task Only_the_first_16_KiB_of_a_response_are_judged()
    {
        string body = new string('x', 20000) + "needle";
        using var server = new ScriptedHttpServer(Response("HTTP/1.1 200 OK", body));
        var outcome = await Run(" option httpchk GET /\n http-check expect string needle", server);
        Assert.Equal(new CheckOutcome(CheckStatus.L7Response, "HTTP content check did not match"), outcome);
    }

    [Fact]
    public async Task A_body_expectation_without_a_body_is_an_invalid_response()
    {
        using var server = new ScriptedHttpServer(Response("HTTP/1.1 200 OK"));
        var outcome = await Run(" option httpchk GET /\n http-check expect ! string error", server);
        Assert.Equal(new CheckOutcome(CheckStatus.L7Response, "HTTP content check could not find a response body"), outcome);
    }

    [Fact]
    public async Task Expectations_run_in_order_and_the_first_failure_decides()
    {
        using var server = new ScriptedHttpServer(Response("HTTP/1.1 500 Internal Server Error", "ready"));
        var outcome = await Run(" option httpchk GET /\n http-check expect string ready\n http-check expect status 200\n http-check expect string never", server);
        Assert.Equal(new CheckOutcome(CheckStatus.L7Status, "Internal Server Error", 500), outcome);
    }

    [Fact]
    public async Task Interim_responses_are_skipped()
    {
        using var server = new ScriptedHttpServer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n" + Response("HTTP/1.1 200 OK", "up"));
        var outcome = await Run(" option httpchk GET /\n http-check expect string up", server);
        Assert.Equal(new CheckOutcome(CheckStatus.L7Ok, "OK", 200), outcome);
    }

    [Fact]
    public async Task An_empty_reason_phrase_gives_no_info()
    {
        using var server = new ScriptedHttpServer("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal(new CheckOutcome(CheckStatus.L7Ok, null, 200), await Run(" option httpchk", server));
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH_9.2\r\n")]
    [InlineData("HTTP/1.1 2OO OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\nContent-Length: 0\n\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Le")]
    public async Task Invalid_or_cut_responses_are_L7RSP(string response)
    {
        using var server = new ScriptedHttpServer(response);
        var outcome = await Run(" option httpchk", server);
        Assert.Equal(new CheckOutcome(CheckStatus.L7Response), outcome);
        Assert.Equal("Layer7 invalid response", outcome.Status.Description);
    }

    [Fact]
    public async Task A_head_larger_than_the_check_buffer_is_L7RSP()
    {
        using var server = new ScriptedHttpServer("HTTP/1.1 200 OK\r\nX-Big: " + new string('a', 17000) + "\r\n\r\n");
        Assert.Equal(new CheckOutcome(CheckStatus.L7Response), await Run(" option httpchk", server));
    }

    [Fact]
    public async Task Invalid_chunked_framing_is_L7RSP_when_the_body_matters()
    {
        using var server = new ScriptedHttpServer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nready\r\n0\r\n\r\n");
        Assert.Equal(new CheckOutcome(CheckStatus.L7Response), await Run(" option httpchk\n http-check expect string ready", server));
    }

    [Fact]
    public async Task A_close_without_answer_is_an_empty_response()
    {
        using var server = new ScriptedHttpServer(_ => []);
        Assert.Equal(new CheckOutcome(CheckStatus.L7Response, "empty response"), await Run(" option httpchk", server));
    }

    [Fact]
    public async Task No_answer_within_timeout_check_is_L7TOUT()
    {
        using var server = new ScriptedHttpServer(_ => null);
        var timeouts = new CheckTimeouts(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(150));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var outcome = await Run(" option httpchk", server, timeouts);
        Assert.Equal(new CheckOutcome(CheckStatus.L7Timeout), outcome);
        Assert.Equal("Layer7 timeout", outcome.Status.Description);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Without_timeout_check_the_whole_check_must_fit_in_the_connect_deadline()
    {
        using var server = new ScriptedHttpServer(_ => null);
        // 1 s: the connect itself must fit in it even on a loaded machine; the answer never comes.
        var outcome = await Run(" option httpchk", server, new CheckTimeouts(TimeSpan.FromSeconds(1), null));
        Assert.Equal(new CheckOutcome(CheckStatus.L7Timeout), outcome);
    }

    [Fact]
    public async Task A_refused_connection_is_L4CON()
    {
        int port;
        using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port;
        }
        var outcome = await new HttpCheck(Configured(" option httpchk")).RunAsync(ServerAt(port), Roomy, CancellationToken.None);
        Assert.Equal(new CheckOutcome(CheckStatus.L4Connection, "Connection refused"), outcome);
    }

    [Fact]
    public async Task The_server_port_option_is_where_the_check_connects()
    {
        using var server = new ScriptedHttpServer(Response("HTTP/1.1 200 OK"));
        var outcome = await new HttpCheck(Configured(" option httpchk")).RunAsync(ServerAt(1, checkPort: server.Port), Roomy, CancellationToken.None);
        Assert.Equal(CheckStatus.L7Ok, outcome.Status);
    }

    [Fact]
    public async Task Http_check_connect_port_wins_and_without_default_the_server_port_option_is_not_used()
    {
        using var server = new ScriptedHttpServer(Response("HTTP/1.1 200 OK"));
        var check = new HttpCheck(Configured($" option httpchk\n http-check connect port {server.Port}"));
        Assert.Equal(CheckStatus.L7Ok, (await check.RunAsync(ServerAt(1, checkPort: 2), Roomy, CancellationToken.None)).Status);

        var plainConnect = new HttpCheck(Configured(" option httpchk\n http-check connect"));
        var outcome = await plainConnect.RunAsync(ServerAt(server.Port, checkPort: 1), Roomy, CancellationToken.None);
        Assert.Equal(CheckStatus.L7Ok, outcome.Status);
    }

    [Fact]
    public async Task Head_requests_expect_no_body()
    {
        // A HEAD response announces a length it does not send; the check must not wait for it.
        using var server = new ScriptedHttpServer(_ => Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n"));
        var outcome = await Run(" option httpchk HEAD /\n http-check expect ! string error", server, new CheckTimeouts(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2)));
        Assert.Equal(new CheckOutcome(CheckStatus.L7Response, "HTTP content check could not find a response body"), outcome);
    }

    [Fact]
    public async Task Stopping_cancels_a_check_waiting_for_its_answer()
    {
        using var server = new ScriptedHttpServer(_ => null);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var run = new HttpCheck(Configured(" option httpchk")).RunAsync(ServerAt(server.Port), new CheckTimeouts(TimeSpan.FromSeconds(30), null), stop.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Backends_with_option_httpchk_get_the_http_check_kind()
    {
        var config = ConfigTestSupport.LoadValid("backend web\n option httpchk\n server a 127.0.0.1:80 check\nbackend db\n server b 127.0.0.1:5432 check\n");
        var web = HealthCheckKinds.For(new BackendState(config.Backends[0], shardCount: 1));
        Assert.Same(config.Backends[0].HttpCheck, Assert.IsType<HttpCheck>(web).Config);
        Assert.IsType<TcpConnectCheck>(HealthCheckKinds.For(new BackendState(config.Backends[1], shardCount: 1)));
    }
}
