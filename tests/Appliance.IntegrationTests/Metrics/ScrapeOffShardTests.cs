using System.Diagnostics;
using System.Text;

namespace Appliance.IntegrationTests.Metrics;

/// <summary>
/// A scrape of 2,000 servers takes tens of milliseconds to render. It runs on a thread-pool thread,
/// not on the shard that received it: with a single shard, requests sent while the scrape renders are
/// answered before the scrape is.
/// </summary>
public sealed class ScrapeOffShardTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RequestsAreServedWhileAScrapeRenders()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        var config = new StringBuilder($$"""
            {{ConfigTemplates.Global(1)}}
            {{ConfigTemplates.HttpDefaults}}

            frontend fe
                bind 127.0.0.1:{{port}}
                http-request use-service prometheus-exporter if { path /metrics }
                default_backend be

            backend be
                server app1 {{origin.Address}}

            """);
        for (int i = 0; i < 1000; i++) config.Append($"backend svc_{i}\n    server a 192.0.2.1:{1000 + i}\n    server b 192.0.2.2:{1000 + i}\n");
        using var proxy = ApplianceProcess.Start(scratch, config.ToString(), output);
        MetricsText.Scrape(port); // warm up: the first render builds every series

        int answeredDuringScrape = 0;
        for (int attempt = 0; attempt < 5 && answeredDuringScrape == 0; attempt++)
        {
            var watch = Stopwatch.StartNew();
            Task<string> scrape = Task.Run(() => MetricsText.Scrape(port));
            while (!scrape.IsCompleted && watch.Elapsed < TimeSpan.FromSeconds(10))
            {
                Assert.Equal(200, HttpExchange.Send(port, HttpRequests.Get("/ok", close: true)).Status);
                if (!scrape.IsCompleted) answeredDuringScrape++;
            }
            string text = await scrape;
            output.WriteLine($"scrape of {text.Length / 1024} KiB in {watch.Elapsed.TotalMilliseconds:F0} ms; {answeredDuringScrape} request(s) answered meanwhile");
            Assert.Contains("appliance_server_status{proxy=\"svc_999\",server=\"b\",state=\"UP\"} 1", text);
        }
        Assert.True(answeredDuringScrape > 0, "no request was answered while the scrape rendered: the shard waited for it");
    }
}
