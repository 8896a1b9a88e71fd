using System.Diagnostics;
using System.Text;

namespace Appliance.IntegrationTests.Metrics;

/// <summary>
/// <c>http-request use-service prometheus-exporter if { path /metrics }</c> on a real appliance process:
/// after a known number of requests through another frontend, the exposition has HAProxy's exporter
/// names with our prefix and exactly the expected values — response classes including 5xx, and the
/// one-series-per-state status of a server that is DOWN. When <c>promtool</c> is installed, the text
/// also passes <c>promtool check metrics</c>.
/// </summary>
public sealed class PrometheusExporterTests(ITestOutputHelper output)
{
    private const string PathIsMetrics = "{ path /metrics }";

    private static string Config(int metricsPort, int port, BackendProcess origin, int deadPort, string extra = "") => $"""
        {ConfigTemplates.Global(2)}
        {ConfigTemplates.HttpDefaults}

        frontend stats
            bind 127.0.0.1:{metricsPort}
            http-request use-service prometheus-exporter if {PathIsMetrics}

        frontend fe
            bind 127.0.0.1:{port}
            default_backend be

        backend be
            balance first
            server app1 {origin.Address} check inter 100ms
            server dead 127.0.0.1:{deadPort} check inter 100ms fall 1 rise 1
        {extra}
        """;

    private static string Scrape(int port)
    {
        HttpResponse response = HttpExchange.Send(port, HttpRequests.Get("/metrics", close: true));
        Assert.Equal(200, response.Status);
        Assert.StartsWith("text/plain; version=0.0.4", response.Header("Content-Type"));
        return response.BodyText;
    }

    /// <summary>The value of one series, written exactly as <paramref name="series"/> (name and labels); null when absent.</summary>
    private static string? Value(string text, string series)
    {
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal)) return line[(series.Length + 1)..];
        }
        return null;
    }

    [Fact]
    public void CountsAfterKnownTrafficHaveHaproxyExporterNamesAndExactValues()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int metricsPort = FreePort.Next(), port = FreePort.Next(), deadPort = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, Config(metricsPort, port, origin, deadPort), output);

        // The server nobody listens for goes DOWN after its first failed check.
        Eventually.True(() => Value(Scrape(metricsPort), "appliance_server_status{proxy=\"be\",server=\"dead\",state=\"DOWN\"}") == "1",
            TimeSpan.FromSeconds(10), "server be/dead reported DOWN");

        // 3 × 200, 2 × 503 from the origin, 1 × 404 from the origin: six connections, one request each.
        for (int i = 0; i < 3; i++) Assert.Equal(200, HttpExchange.Send(port, HttpRequests.Get("/ok", close: true)).Status);
        for (int i = 0; i < 2; i++) Assert.Equal(503, HttpExchange.Send(port, HttpRequests.Get("/status/503", close: true)).Status);
        Assert.Equal(404, HttpExchange.Send(port, HttpRequests.Get("/status/404", close: true)).Status);

        string text = Eventually.Value(() => Scrape(metricsPort),
            t => Value(t, "appliance_frontend_current_sessions{proxy=\"fe\"}") == "0", TimeSpan.FromSeconds(5), "fe's connections closed");
        output.WriteLine(text);

        var expected = new Dictionary<string, string>
        {
            ["appliance_process_build_info{version=\"0.1.0\"}"] = "1",
            ["appliance_process_nbthread"] = "2",
            ["appliance_frontend_sessions_total{proxy=\"fe\"}"] = "6",
            ["appliance_frontend_current_sessions{proxy=\"fe\"}"] = "0",
            ["appliance_frontend_http_requests_total{proxy=\"fe\"}"] = "6",
            ["appliance_frontend_http_responses_total{proxy=\"fe\",code=\"1xx\"}"] = "0",
            ["appliance_frontend_http_responses_total{proxy=\"fe\",code=\"2xx\"}"] = "3",
            ["appliance_frontend_http_responses_total{proxy=\"fe\",code=\"3xx\"}"] = "0",
            ["appliance_frontend_http_responses_total{proxy=\"fe\",code=\"4xx\"}"] = "1",
            ["appliance_frontend_http_responses_total{proxy=\"fe\",code=\"5xx\"}"] = "2",
            ["appliance_frontend_http_responses_total{proxy=\"fe\",code=\"other\"}"] = "0",
            ["appliance_backend_sessions_total{proxy=\"be\"}"] = "6",
            ["appliance_backend_current_sessions{proxy=\"be\"}"] = "0",
            ["appliance_backend_active_servers{proxy=\"be\"}"] = "1",
            ["appliance_backend_backup_servers{proxy=\"be\"}"] = "0",
            ["appliance_backend_status{proxy=\"be\",state=\"UP\"}"] = "1",
            ["appliance_backend_status{proxy=\"be\",state=\"DOWN\"}"] = "0",
            ["appliance_server_sessions_total{proxy=\"be\",server=\"app1\"}"] = "6",
            ["appliance_server_sessions_total{proxy=\"be\",server=\"dead\"}"] = "0",
            ["appliance_server_current_sessions{proxy=\"be\",server=\"app1\"}"] = "0",
            ["appliance_server_weight{proxy=\"be\",server=\"app1\"}"] = "1",
            ["appliance_server_status{proxy=\"be\",server=\"app1\",state=\"UP\"}"] = "1",
            ["appliance_server_status{proxy=\"be\",server=\"app1\",state=\"DOWN\"}"] = "0",
            ["appliance_server_status{proxy=\"be\",server=\"dead\",state=\"UP\"}"] = "0",
            ["appliance_server_status{proxy=\"be\",server=\"dead\",state=\"DOWN\"}"] = "1",
            ["appliance_server_status{proxy=\"be\",server=\"dead\",state=\"MAINT\"}"] = "0",
            ["appliance_server_status{proxy=\"be\",server=\"dead\",state=\"DRAIN\"}"] = "0",
            ["appliance_server_status{proxy=\"be\",server=\"dead\",state=\"NOLB\"}"] = "0",
        };
        foreach (var (series, value) in expected) Assert.True(Value(text, series) == value, $"{series}: expected {value}, got {Value(text, series) ?? "nothing"}");

        Assert.True(long.Parse(Value(text, "appliance_server_check_failures_total{proxy=\"be\",server=\"dead\"}")!) >= 1);
        // The scrapes go through the process too: at least the six requests, and the stats frontend's own.
        Assert.True(long.Parse(Value(text, "appliance_process_requests_total")!) >= 7);
        Assert.True(long.Parse(Value(text, "appliance_process_connections_total")!) >= 7);
        Assert.Contains("# TYPE appliance_frontend_http_responses_total counter\n", text);
        Assert.Contains("# TYPE appliance_server_status gauge\n", text);
        Assert.Equal("0", Value(text, "appliance_backend_connection_errors_total{proxy=\"be\"}"));
        Assert.Equal("0", Value(text, "appliance_backend_retry_warnings_total{proxy=\"be\"}"));

        PromtoolAccepts(text);
    }

    [Fact]
    public void AnExpositionLargerThanABufferIsSentWhole()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int metricsPort = FreePort.Next(), port = FreePort.Next();
        var more = new StringBuilder();
        for (int i = 0; i < 500; i++) more.Append($"backend svc_{i}\n    server a 127.0.0.1:1\n    server b 127.0.0.1:2\n");
        using var proxy = ApplianceProcess.Start(scratch, Config(metricsPort, port, origin, FreePort.Next(), more.ToString()), output);

        var watch = Stopwatch.StartNew();
        string text = Scrape(metricsPort);
        output.WriteLine($"{text.Length / 1024} KiB in {watch.Elapsed.TotalMilliseconds:F0} ms");

        Assert.True(text.Length > 64 * 1024, $"only {text.Length} bytes");
        Assert.Equal("0", Value(text, "appliance_server_current_sessions{proxy=\"svc_499\",server=\"b\"}"));
        Assert.EndsWith("\n", text);
        // The proxy still serves after the big answer.
        Assert.Equal(200, HttpExchange.Send(port, HttpRequests.Get("/ok", close: true)).Status);
    }

    [Fact]
    public void CountersStayMonotonicAcrossAReloadAndReloadsAreCounted()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int metricsPort = FreePort.Next(), port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, Config(metricsPort, port, origin, FreePort.Next()), output,
            arguments: MasterControl.Arguments(scratch));
        var master = MasterControl.For(scratch);

        for (int i = 0; i < 3; i++) Assert.Equal(200, HttpExchange.Send(port, HttpRequests.Get("/ok", close: true)).Status);
        string before = Scrape(metricsPort);
        Assert.Equal("1", Value(before, "appliance_process_worker_generation"));
        Assert.Equal("0", Value(before, "appliance_process_reloads_total"));

        master.ReloadOrFail(scratch.FullPath);
        for (int i = 0; i < 2; i++) Assert.Equal(200, HttpExchange.Send(port, HttpRequests.Get("/ok", close: true)).Status);

        // The old generation's counts arrive with the master's baseline once it has ended.
        string after = Eventually.Value(() => Scrape(metricsPort),
            t => Value(t, "appliance_frontend_http_requests_total{proxy=\"fe\"}") == "5", TimeSpan.FromSeconds(10),
            "fe's requests of both generations counted");
        Assert.Equal("2", Value(after, "appliance_process_worker_generation"));
        Assert.Equal("1", Value(after, "appliance_process_reloads_total"));
        Assert.Equal("5", Value(after, "appliance_frontend_http_responses_total{proxy=\"fe\",code=\"2xx\"}"));
        Assert.Equal("5", Value(after, "appliance_frontend_sessions_total{proxy=\"fe\"}"));
        Assert.Equal("5", Value(after, "appliance_server_sessions_total{proxy=\"be\",server=\"app1\"}"));
    }

    [Fact]
    public void BackendConnectionErrorsRetriesRedispatchesAndReusesAreCounted()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int metricsPort = FreePort.Next(), port = FreePort.Next(), port2 = FreePort.Next(), closedPort = FreePort.Next();
        string config = $"""
            {ConfigTemplates.Global(1)}
            {ConfigTemplates.HttpDefaults}

            frontend stats
                bind 127.0.0.1:{metricsPort}
                http-request use-service prometheus-exporter if {PathIsMetrics}

            frontend fe
                bind 127.0.0.1:{port}
                default_backend be

            backend be
                balance first
                retries 1
                option redispatch
                server closed 127.0.0.1:{closedPort}
                server app1 {origin.Address}

            frontend fe2
                bind 127.0.0.1:{port2}
                default_backend be2

            backend be2
                server app1 {origin.Address}
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output);

        // Each request: refused by "closed", its one retry redispatched to app1.
        for (int i = 0; i < 3; i++) Assert.Equal(200, HttpExchange.Send(port, HttpRequests.Get("/ok", close: true)).Status);
        // Two requests on one client connection: the second goes over the kept server connection.
        using (var connection = LoopbackConnection.Open(port2))
        {
            connection.SendText(HttpRequests.Get("/one"));
            Assert.Equal(200, HttpResponse.Read(connection).Status);
            connection.SendText(HttpRequests.Get("/two", close: true));
            Assert.Equal(200, HttpResponse.Read(connection).Status);
        }

        string text = Scrape(metricsPort);
        Assert.Equal("3", Value(text, "appliance_backend_connection_errors_total{proxy=\"be\"}"));
        Assert.Equal("3", Value(text, "appliance_backend_retry_warnings_total{proxy=\"be\"}"));
        Assert.Equal("3", Value(text, "appliance_backend_redispatch_warnings_total{proxy=\"be\"}"));
        Assert.Equal("0", Value(text, "appliance_backend_connection_reuses_total{proxy=\"be\"}"));
        Assert.Equal("3", Value(text, "appliance_server_sessions_total{proxy=\"be\",server=\"app1\"}"));
        Assert.Equal("0", Value(text, "appliance_backend_connection_errors_total{proxy=\"be2\"}"));
        Assert.Equal("1", Value(text, "appliance_backend_connection_reuses_total{proxy=\"be2\"}"));
        Assert.Equal("2", Value(text, "appliance_server_sessions_total{proxy=\"be2\",server=\"app1\"}"));
    }

    [Fact]
    public void TheServiceAnswersOnlyWhereItsConditionHolds()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int metricsPort = FreePort.Next(), port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, Config(metricsPort, port, origin, FreePort.Next()), output);

        // No backend behind the stats frontend: any other path gets the 503 of "no backend chosen".
        Assert.Equal(503, HttpExchange.Send(metricsPort, HttpRequests.Get("/other", close: true)).Status);
        Assert.Equal(404, HttpExchange.Send(port, HttpRequests.Get("/status/404", close: true)).Status);
        Assert.NotNull(Value(Scrape(metricsPort), "appliance_frontend_http_requests_total{proxy=\"stats\"}"));
    }

    private void PromtoolAccepts(string text) => MetricsText.PromtoolAccepts(text, output);
}
