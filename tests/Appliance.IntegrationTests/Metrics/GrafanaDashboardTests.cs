using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Appliance.IntegrationTests.Metrics;

/// <summary>
/// The Grafana dashboard shipped in <c>packaging/grafana</c> against a real Prometheus (Debian's
/// <c>prometheus</c>, started here on a free loopback port with a temporary storage directory and a
/// 1 s scrape interval) scraping a running appliance under small load: every PromQL expression of the
/// dashboard, with its Grafana variables replaced, returns data through Prometheus' HTTP API.
/// </summary>
public sealed partial class GrafanaDashboardTests(ITestOutputHelper output)
{
    private const string PrometheusBinary = "/usr/bin/prometheus";

    /// <summary>The dashboard's file name is part of the packaging (copied to /usr/share/appliance).</summary>
    private static string DashboardPath => Path.Combine(TestBinaries.RepositoryRoot, "packaging", "grafana", "appliance-dashboard.json");

    [Fact]
    public async Task EveryDashboardQueryReturnsDataFromARealPrometheus()
    {
        Assert.True(File.Exists(PrometheusBinary), $"{PrometheusBinary} is missing: install Debian's 'prometheus' package (test.sh does)");
        List<string> expressions = DashboardExpressions(File.ReadAllText(DashboardPath));
        Assert.True(expressions.Count >= 20, $"only {expressions.Count} expressions in the dashboard");

        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next(), listenerPort = FreePort.Next(), prometheusPort = FreePort.Next();
        string config = $"""
            {ConfigTemplates.Global(2)}
                prometheus-listener 127.0.0.1:{listenerPort}
            {ConfigTemplates.HttpDefaults}

            frontend fe
                bind 127.0.0.1:{port}
                http-request deny if {"{"} path /forbidden {"}"}
                default_backend be

            backend be
                server app1 {origin.Address} check inter 500ms
                server dead 127.0.0.1:{FreePort.Next()} check inter 500ms fall 1
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output);

        scratch.WriteFile("prometheus.yml", $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: appliance
                static_configs:
                  - targets: ["127.0.0.1:{listenerPort}"]
            """);
        using var prometheus = ChildProcess.Start(new LaunchCommand(PrometheusBinary, []),
        [
            "--config.file=" + scratch.PathOf("prometheus.yml"),
            "--storage.tsdb.path=" + scratch.PathOf("tsdb"),
            "--web.listen-address=127.0.0.1:" + prometheusPort,
            "--log.level=warn",
        ], workingDirectory: scratch.FullPath);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{prometheusPort}"), Timeout = TimeSpan.FromSeconds(10) };

        using var load = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Task traffic = Task.Run(() => SmallLoad(port, load.Token));
        try
        {
            var watch = Stopwatch.StartNew();
            // Enough samples for rate() over the 10 s window the variables below use.
            await EventuallyAsync(async () =>
                (await Query(http, "count_over_time(appliance_process_build_info[30s])")) is [var first, ..] && first.GetProperty("value")[1].GetString() is { } n && int.Parse(n) >= 8,
                TimeSpan.FromSeconds(40), "8 scrapes stored by Prometheus", prometheus);
            output.WriteLine($"Prometheus has 8 scrapes after {watch.Elapsed.TotalSeconds:F1} s");

            var empty = new List<string>();
            foreach (string expression in expressions)
            {
                string promql = Substitute(expression);
                List<JsonElement> result = await Query(http, promql);
                output.WriteLine($"{result.Count,4} series  {promql}");
                if (result.Count == 0) empty.Add(promql);
            }
            Assert.True(empty.Count == 0, "no data for:\n" + string.Join("\n", empty));
        }
        finally
        {
            load.Cancel();
            await traffic;
        }
    }

    /// <summary>Every <c>expr</c> of every panel (rows' nested panels included).</summary>
    internal static List<string> DashboardExpressions(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        var expressions = new List<string>();
        void Panels(JsonElement panels)
        {
            foreach (JsonElement panel in panels.EnumerateArray())
            {
                if (panel.TryGetProperty("panels", out JsonElement nested)) Panels(nested);
                if (!panel.TryGetProperty("targets", out JsonElement targets)) continue;
                foreach (JsonElement target in targets.EnumerateArray())
                {
                    if (target.TryGetProperty("expr", out JsonElement expr) && expr.GetString() is { Length: > 0 } text) expressions.Add(text);
                }
            }
        }
        Panels(document.RootElement.GetProperty("panels"));
        return expressions;
    }

    /// <summary>Grafana's variables as a dashboard with everything selected would send them.</summary>
    internal static string Substitute(string expression)
    {
        string text = expression.Replace("$__rate_interval", "10s").Replace("$__interval", "2s").Replace("$__range", "1m");
        // Multi-value "All" variables become the regex .* (the dashboard uses them with =~ only).
        return VariablePattern().Replace(text, ".*");
    }

    [GeneratedRegex(@"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?")]
    private static partial Regex VariablePattern();

    private static async Task<List<JsonElement>> Query(HttpClient http, string promql)
    {
        using HttpResponseMessage response = await http.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(promql));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{promql}: HTTP {(int)response.StatusCode} {body}");
        using JsonDocument document = JsonDocument.Parse(body);
        Assert.Equal("success", document.RootElement.GetProperty("status").GetString());
        return [.. document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(e => e.Clone())];
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string expectation, ChildProcess prometheus)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            Assert.False(prometheus.HasExited, $"prometheus exited: {prometheus.Stderr}");
            try
            {
                if (await condition()) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(250);
        }
        Assert.Fail($"timed out after {timeout.TotalSeconds:F0} s waiting for: {expectation}");
    }

    /// <summary>A few requests per second of every kind the dashboard shows: 2xx, 5xx, denied, slower ones.</summary>
    private static void SmallLoad(int port, CancellationToken stop)
    {
        string[] paths = ["/ok", "/ok", "/status/503", "/slow/20", "/forbidden", "/bytes/5000"];
        for (int i = 0; i < 5000 && !stop.IsCancellationRequested; i++)
        {
            try
            {
                HttpExchange.Send(port, HttpRequests.Get(paths[i % paths.Length], close: true));
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
            {
                // A refused or cut request is still load; the assertions are on Prometheus' side.
            }
            stop.WaitHandle.WaitOne(20);
        }
    }
}
