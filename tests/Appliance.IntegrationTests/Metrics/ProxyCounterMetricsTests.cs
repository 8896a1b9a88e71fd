using System.Globalization;
using static Appliance.IntegrationTests.Metrics.MetricsText;

namespace Appliance.IntegrationTests.Metrics;

/// <summary>
/// The per-proxy counters on a real process, after a known set of requests whose bytes the test counts
/// itself: bytes in/out of frontend, backend and server, request errors, denials, response errors,
/// responses by class at each level, latency histograms, check status series, queue gauges, and the
/// same numbers in <c>show stat</c>. Also <c>?scope=</c> and the <c>prometheus-listener</c>.
/// </summary>
public sealed class ProxyCounterMetricsTests(ITestOutputHelper output)
{
    private sealed record Exchange(string Request, long Sent, long Received, bool Routed, bool ServerAnswered);

    private static Exchange Run(int port, string request, bool routed, bool serverAnswered)
    {
        using var connection = LoopbackConnection.Open(port);
        byte[] bytes = System.Text.Encoding.ASCII.GetBytes(request);
        connection.Send(bytes);
        connection.ReadUntilClosed(out long received);
        Assert.True(received > 0, $"no answer to {request}");
        return new Exchange(request, bytes.Length, received, routed, serverAnswered);
    }

    [Fact]
    public void BytesErrorsDenialsResponsesAndHistogramsHaveExactValues()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int metricsPort = FreePort.Next(), port = FreePort.Next(), listenerPort = FreePort.Next();
        string config = $$"""
            {{ConfigTemplates.Global(1, scratch.StatsSocketPath)}}
                prometheus-listener 127.0.0.1:{{listenerPort}}
            {{ConfigTemplates.HttpDefaults}}

            frontend stats
                bind 127.0.0.1:{{metricsPort}}
                http-request use-service prometheus-exporter if { path /metrics }

            frontend fe
                bind 127.0.0.1:{{port}}
                http-request deny if { path /forbidden }
                default_backend be

            backend be
                balance first
                server app1 {{origin.Address}} check inter 100ms
                server dead 127.0.0.1:{{FreePort.Next()}} check inter 100ms fall 1 rise 1
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output);
        Eventually.True(() => Value(Scrape(metricsPort), "appliance_server_check_status{proxy=\"be\",server=\"dead\",state=\"L4CON\"}") == "1",
            TimeSpan.FromSeconds(10), "be/dead's last check is L4CON");

        var exchanges = new List<Exchange>();
        for (int i = 0; i < 3; i++) exchanges.Add(Run(port, HttpRequests.Get("/ok", close: true), routed: true, serverAnswered: true));
        exchanges.Add(Run(port, HttpRequests.Get("/status/503", close: true), routed: true, serverAnswered: true));
        // Not HTTP from the server: a response error, answered 502 by the proxy.
        exchanges.Add(Run(port, HttpRequests.Get("/garbage", close: true), routed: true, serverAnswered: false));
        exchanges.Add(Run(port, HttpRequests.Get("/forbidden", close: true), routed: false, serverAnswered: false));
        // A field line without a colon: a request error, 400.
        exchanges.Add(Run(port, "GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n", routed: false, serverAnswered: false));
        // Waits 300 ms at the server: lands above the 0.25 s bucket of the response-time histogram.
        exchanges.Add(Run(port, HttpRequests.Get("/slow/300", close: true), routed: true, serverAnswered: true));

        string text = Eventually.Value(() => Scrape(metricsPort),
            t => Value(t, "appliance_frontend_current_sessions{proxy=\"fe\"}") == "0", TimeSpan.FromSeconds(5), "fe's connections closed");
        output.WriteLine(text);
        long Sum(Func<Exchange, bool> which, Func<Exchange, long> bytes) => exchanges.Where(which).Sum(bytes);
        string N(long value) => value.ToString(CultureInfo.InvariantCulture);

        var expected = new Dictionary<string, string>
        {
            ["appliance_frontend_bytes_in_total{proxy=\"fe\"}"] = N(Sum(_ => true, e => e.Sent)),
            ["appliance_frontend_bytes_out_total{proxy=\"fe\"}"] = N(Sum(_ => true, e => e.Received)),
            ["appliance_frontend_request_errors_total{proxy=\"fe\"}"] = "1",
            ["appliance_frontend_requests_denied_total{proxy=\"fe\"}"] = "1",
            ["appliance_frontend_http_requests_total{proxy=\"fe\"}"] = "7",
            ["appliance_frontend_http_responses_total{proxy=\"fe\",code=\"2xx\"}"] = "4",
            ["appliance_frontend_http_responses_total{proxy=\"fe\",code=\"4xx\"}"] = "2",
            ["appliance_frontend_http_responses_total{proxy=\"fe\",code=\"5xx\"}"] = "2",
            ["appliance_backend_bytes_in_total{proxy=\"be\"}"] = N(Sum(e => e.Routed, e => e.Sent)),
            ["appliance_backend_bytes_out_total{proxy=\"be\"}"] = N(Sum(e => e.Routed, e => e.Received)),
            ["appliance_backend_http_requests_total{proxy=\"be\"}"] = "6",
            ["appliance_backend_http_responses_total{proxy=\"be\",code=\"2xx\"}"] = "4",
            ["appliance_backend_http_responses_total{proxy=\"be\",code=\"4xx\"}"] = "0",
            ["appliance_backend_http_responses_total{proxy=\"be\",code=\"5xx\"}"] = "2",
            ["appliance_backend_response_errors_total{proxy=\"be\"}"] = "1",
            ["appliance_backend_connection_errors_total{proxy=\"be\"}"] = "0",
            ["appliance_backend_current_queue{proxy=\"be\"}"] = "0",
            ["appliance_backend_max_queue{proxy=\"be\"}"] = "0",
            ["appliance_server_bytes_in_total{proxy=\"be\",server=\"app1\"}"] = N(Sum(e => e.Routed, e => e.Sent)),
            ["appliance_server_bytes_out_total{proxy=\"be\",server=\"app1\"}"] = N(Sum(e => e.ServerAnswered, e => e.Received)),
            ["appliance_server_bytes_in_total{proxy=\"be\",server=\"dead\"}"] = "0",
            ["appliance_server_http_responses_total{proxy=\"be\",server=\"app1\",code=\"2xx\"}"] = "4",
            ["appliance_server_http_responses_total{proxy=\"be\",server=\"app1\",code=\"5xx\"}"] = "1",
            ["appliance_server_response_errors_total{proxy=\"be\",server=\"app1\"}"] = "1",
            ["appliance_server_connection_errors_total{proxy=\"be\",server=\"app1\"}"] = "0",
            ["appliance_server_current_queue{proxy=\"be\",server=\"app1\"}"] = "0",
            ["appliance_server_check_status{proxy=\"be\",server=\"app1\",state=\"L4OK\"}"] = "1",
            ["appliance_server_check_status{proxy=\"be\",server=\"app1\",state=\"L4CON\"}"] = "0",
            ["appliance_server_check_status{proxy=\"be\",server=\"dead\",state=\"L4CON\"}"] = "1",
            ["appliance_server_check_status{proxy=\"be\",server=\"dead\",state=\"L4OK\"}"] = "0",
            ["appliance_server_check_up_down_total{proxy=\"be\",server=\"dead\"}"] = "1",
            ["appliance_server_check_code{proxy=\"be\",server=\"dead\"}"] = "0",
            // Five answers from the server have a head; four of them ended normally plus the slow one.
            ["appliance_server_response_time_seconds_count{proxy=\"be\",server=\"app1\"}"] = "5",
            ["appliance_server_total_time_seconds_count{proxy=\"be\",server=\"app1\"}"] = "5",
            ["appliance_server_response_time_seconds_bucket{proxy=\"be\",server=\"app1\",le=\"+Inf\"}"] = "5",
            ["appliance_backend_response_time_seconds_count{proxy=\"be\"}"] = "5",
            ["appliance_backend_total_time_seconds_bucket{proxy=\"be\",le=\"+Inf\"}"] = "5",
            ["appliance_server_response_time_seconds_count{proxy=\"be\",server=\"dead\"}"] = "0",
        };
        foreach (var (series, value) in expected) Assert.True(Value(text, series) == value, $"{series}: expected {value}, got {Value(text, series) ?? "nothing"}");

        // The slow answer took at least 300 ms: it is above the 0.25 s bound, the others (loopback) below it.
        Assert.Equal(4, Number(text, "appliance_server_response_time_seconds_bucket{proxy=\"be\",server=\"app1\",le=\"0.25\"}"));
        Assert.True(Number(text, "appliance_server_response_time_seconds_sum{proxy=\"be\",server=\"app1\"}") >= 0.3);
        Assert.True(Number(text, "appliance_backend_total_time_seconds_sum{proxy=\"be\"}") >= 0.3);
        Assert.True(Number(text, "appliance_server_check_failures_total{proxy=\"be\",server=\"dead\"}") >= 1);
        PromtoolAccepts(text, output);

        // show stat carries the same numbers in HAProxy's fields.
        var stat = new RuntimeApiClient(scratch.StatsSocketPath).Send("show stat");
        string[] fields = stat.Split('\n')[0].TrimStart('#', ' ').Split(',');
        Dictionary<string, string> Row(string proxyName, string service)
        {
            string line = stat.Split('\n').Single(l => l.StartsWith($"{proxyName},{service},", StringComparison.Ordinal));
            string[] values = line.Split(',');
            return fields.Select((f, i) => (f, v: i < values.Length ? values[i] : "")).Where(p => p.f.Length > 0).ToDictionary(p => p.f, p => p.v);
        }
        var fe = Row("fe", "FRONTEND");
        Assert.Equal(expected["appliance_frontend_bytes_in_total{proxy=\"fe\"}"], fe["bin"]);
        Assert.Equal(expected["appliance_frontend_bytes_out_total{proxy=\"fe\"}"], fe["bout"]);
        Assert.Equal("1", fe["ereq"]);
        Assert.Equal("1", fe["dreq"]);
        Assert.Equal("4", fe["hrsp_2xx"]);
        var be = Row("be", "BACKEND");
        Assert.Equal(expected["appliance_backend_bytes_in_total{proxy=\"be\"}"], be["bin"]);
        Assert.Equal(expected["appliance_backend_bytes_out_total{proxy=\"be\"}"], be["bout"]);
        Assert.Equal("1", be["eresp"]);
        Assert.Equal("0", be["econ"]);
        Assert.Equal("0", be["qcur"]);
        Assert.Equal("2", be["hrsp_5xx"]);
        var app1 = Row("be", "app1");
        Assert.Equal(expected["appliance_server_bytes_out_total{proxy=\"be\",server=\"app1\"}"], app1["bout"]);
        Assert.Equal("1", app1["eresp"]);
        Assert.Equal("1", app1["hrsp_5xx"]);
        Assert.Equal("L4CON", Row("be", "dead")["check_status"]);

        // The dedicated listener serves the same exposition (its own scrapes are not counted anywhere).
        string viaListener = Scrape(listenerPort);
        Assert.Equal(expected["appliance_frontend_bytes_in_total{proxy=\"fe\"}"], Value(viaListener, "appliance_frontend_bytes_in_total{proxy=\"fe\"}"));
    }

    [Fact]
    public void ConnectionErrorsPerServerAndTheBackendQueueAreCounted()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int metricsPort = FreePort.Next(), port = FreePort.Next(), queuedPort = FreePort.Next(), closedPort = FreePort.Next();
        string config = $$"""
            {{ConfigTemplates.Global(1)}}
            {{ConfigTemplates.HttpDefaults}}

            frontend stats
                bind 127.0.0.1:{{metricsPort}}
                http-request use-service prometheus-exporter if { path /metrics }

            frontend fe
                bind 127.0.0.1:{{port}}
                default_backend be

            backend be
                balance first
                retries 1
                option redispatch
                server closed 127.0.0.1:{{closedPort}}
                server app1 {{origin.Address}}

            frontend fq
                bind 127.0.0.1:{{queuedPort}}
                default_backend bq

            backend bq
                timeout queue 10s
                server one {{origin.Address}} maxconn 1
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output);

        // Each request: refused by "closed", redispatched to app1.
        for (int i = 0; i < 2; i++) Assert.Equal(200, HttpExchange.Send(port, HttpRequests.Get("/ok", close: true)).Status);

        using (var slow = LoopbackConnection.Open(queuedPort))
        using (var waiting = LoopbackConnection.Open(queuedPort))
        {
            slow.SendText(HttpRequests.Get("/slow/1500", close: true));
            Eventually.True(() => Value(Scrape(metricsPort), "appliance_server_current_sessions{proxy=\"bq\",server=\"one\"}") == "1",
                TimeSpan.FromSeconds(5), "the slow request holds bq/one's only slot");
            waiting.SendText(HttpRequests.Get("/ok", close: true));
            Eventually.True(() => Value(Scrape(metricsPort), "appliance_backend_current_queue{proxy=\"bq\"}") == "1",
                TimeSpan.FromSeconds(5), "the second request waits in bq's queue");
            Assert.Equal(200, HttpResponse.Read(slow).Status);
            Assert.Equal(200, HttpResponse.Read(waiting).Status);
        }

        string text = Eventually.Value(() => Scrape(metricsPort),
            t => Value(t, "appliance_backend_current_queue{proxy=\"bq\"}") == "0", TimeSpan.FromSeconds(5), "bq's queue empty");
        Assert.Equal("2", Value(text, "appliance_server_connection_errors_total{proxy=\"be\",server=\"closed\"}"));
        Assert.Equal("0", Value(text, "appliance_server_connection_errors_total{proxy=\"be\",server=\"app1\"}"));
        Assert.Equal("2", Value(text, "appliance_backend_connection_errors_total{proxy=\"be\"}"));
        Assert.Equal("1", Value(text, "appliance_backend_max_queue{proxy=\"bq\"}"));
        Assert.Equal("2", Value(text, "appliance_server_http_responses_total{proxy=\"bq\",server=\"one\",code=\"2xx\"}"));
    }

    [Fact]
    public void ScopesSelectGroupsOfMetricsAsHaproxysExporter()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int metricsPort = FreePort.Next(), listenerPort = FreePort.Next();
        string config = $$"""
            {{ConfigTemplates.Global(2)}}
                prometheus-listener 127.0.0.1:{{listenerPort}}
            {{ConfigTemplates.HttpDefaults}}

            frontend stats
                bind 127.0.0.1:{{metricsPort}}
                http-request use-service prometheus-exporter if { path /metrics }

            backend be
                server app1 {{origin.Address}}
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output);

        foreach (int port in (int[])[metricsPort, listenerPort])
        {
            string servers = Scrape(port, "/metrics?scope=server");
            Assert.NotEmpty(Samples(servers));
            Assert.All(Samples(servers), line => Assert.StartsWith("appliance_server_", line));
            Assert.Contains("appliance_server_total_time_seconds_bucket{", servers);

            string two = Scrape(port, "/metrics?scope=frontend&scope=backend");
            Assert.All(Samples(two), line => Assert.True(line.StartsWith("appliance_frontend_") || line.StartsWith("appliance_backend_"), line));
            Assert.Contains(Samples(two), line => line.StartsWith("appliance_frontend_"));
            Assert.Contains(Samples(two), line => line.StartsWith("appliance_backend_"));

            Assert.All(Samples(Scrape(port, "/metrics?scope=global")), line => Assert.StartsWith("appliance_process_", line));
            Assert.Equal("", Scrape(port, "/metrics?scope="));
            string all = Scrape(port, "/metrics?scope=*");
            Assert.Contains("appliance_process_nbthread 2\n", all);
            Assert.Contains("appliance_server_status{", all);
            Assert.Equal(400, HttpExchange.Send(port, HttpRequests.Get("/metrics?scope=bogus", close: true)).Status);
            Assert.Equal(400, HttpExchange.Send(port, HttpRequests.Get("/metrics?scope", close: true)).Status);
        }
        Assert.Equal(404, HttpExchange.Send(listenerPort, HttpRequests.Get("/other", close: true)).Status);
    }

    [Fact]
    public void BytesAndHistogramsStayMonotonicAcrossAReload()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int metricsPort = FreePort.Next(), port = FreePort.Next();
        string config = $$"""
            {{ConfigTemplates.Global(2)}}
            {{ConfigTemplates.HttpDefaults}}

            frontend stats
                bind 127.0.0.1:{{metricsPort}}
                http-request use-service prometheus-exporter if { path /metrics }

            frontend fe
                bind 127.0.0.1:{{port}}
                default_backend be

            backend be
                server app1 {{origin.Address}}
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output, arguments: MasterControl.Arguments(scratch));
        var master = MasterControl.For(scratch);

        long sent = 0;
        for (int i = 0; i < 3; i++) sent += Run(port, HttpRequests.Get("/ok", close: true), true, true).Sent;
        master.ReloadOrFail(scratch.FullPath);
        for (int i = 0; i < 2; i++) sent += Run(port, HttpRequests.Get("/ok", close: true), true, true).Sent;

        string after = Eventually.Value(() => Scrape(metricsPort),
            t => Value(t, "appliance_server_total_time_seconds_count{proxy=\"be\",server=\"app1\"}") == "5", TimeSpan.FromSeconds(10),
            "both generations' requests in the histogram");
        Assert.Equal(sent.ToString(CultureInfo.InvariantCulture), Value(after, "appliance_frontend_bytes_in_total{proxy=\"fe\"}"));
        Assert.Equal(sent.ToString(CultureInfo.InvariantCulture), Value(after, "appliance_server_bytes_in_total{proxy=\"be\",server=\"app1\"}"));
        Assert.Equal("5", Value(after, "appliance_backend_http_responses_total{proxy=\"be\",code=\"2xx\"}"));
        Assert.Equal("5", Value(after, "appliance_backend_response_time_seconds_bucket{proxy=\"be\",le=\"+Inf\"}"));
    }

    [Fact]
    public async Task TcpBytesBothWaysAndTheConnectionTimeAreCounted()
    {
        const int length = 3 * 1024 * 1024 + 5;
        using var scratch = new ScratchDirectory();
        using var echo = BackendProcess.Start(BackendMode.Echo, "echo");
        int metricsPort = FreePort.Next(), port = FreePort.Next();
        string config = $$"""
            {{ConfigTemplates.Global(2)}}
            {{ConfigTemplates.TcpDefaults}}

            frontend stats
                mode http
                bind 127.0.0.1:{{metricsPort}}
                http-request use-service prometheus-exporter if { path /metrics }

            frontend ft
                bind 127.0.0.1:{{port}}
                default_backend bt

            backend bt
                server echo {{echo.Address}}
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output);

        using (var connection = LoopbackConnection.Open(port))
        {
            // Send and receive at once, or both socket buffers fill and the echo deadlocks.
            Task sending = Task.Run(() =>
            {
                connection.SendDeterministicStream(length);
                connection.ShutdownSend();
            });
            var (count, _) = connection.ReadToEndHashed();
            await sending;
            Assert.Equal(length, count);
        }

        string text = Eventually.Value(() => Scrape(metricsPort),
            t => Value(t, "appliance_server_total_time_seconds_count{proxy=\"bt\",server=\"echo\"}") == "1", TimeSpan.FromSeconds(5),
            "the TCP connection's time recorded once it closed");
        string n = length.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(n, Value(text, "appliance_frontend_bytes_in_total{proxy=\"ft\"}"));
        Assert.Equal(n, Value(text, "appliance_frontend_bytes_out_total{proxy=\"ft\"}"));
        Assert.Equal(n, Value(text, "appliance_backend_bytes_in_total{proxy=\"bt\"}"));
        Assert.Equal(n, Value(text, "appliance_server_bytes_out_total{proxy=\"bt\",server=\"echo\"}"));
        // TCP has no response head to time, and no HTTP series.
        Assert.DoesNotContain("appliance_server_response_time_seconds_count{proxy=\"bt\"", text);
        Assert.DoesNotContain("appliance_backend_http_responses_total{proxy=\"bt\"", text);
        PromtoolAccepts(text, output);
    }
}
