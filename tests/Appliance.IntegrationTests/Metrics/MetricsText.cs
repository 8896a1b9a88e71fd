using System.Diagnostics;
using System.Globalization;

namespace Appliance.IntegrationTests.Metrics;

/// <summary>Reading an exposition in tests: scrape, one series' value, and <c>promtool check metrics</c>.</summary>
internal static class MetricsText
{
    public static string Scrape(int port, string target = "/metrics")
    {
        HttpResponse response = HttpExchange.Send(port, HttpRequests.Get(target, close: true));
        Assert.Equal(200, response.Status);
        Assert.StartsWith("text/plain; version=0.0.4", response.Header("Content-Type"));
        return response.BodyText;
    }

    /// <summary>The value of one series, written exactly as <paramref name="series"/> (name and labels); null when absent.</summary>
    public static string? Value(string text, string series)
    {
        foreach (string line in text.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal)) return line[(series.Length + 1)..];
        }
        return null;
    }

    public static double Number(string text, string series) =>
        double.Parse(Value(text, series) ?? throw new Xunit.Sdk.XunitException($"no series {series}"), CultureInfo.InvariantCulture);

    /// <summary>The sample lines (not comments, not empty).</summary>
    public static IEnumerable<string> Samples(string text) =>
        text.Split('\n').Where(line => line.Length > 0 && line[0] != '#');

    /// <summary>Runs <c>promtool check metrics</c> on the text when promtool is installed (test.sh installs it).</summary>
    public static void PromtoolAccepts(string text, ITestOutputHelper output)
    {
        string? promtool = Environment.GetEnvironmentVariable("PATH")?.Split(':')
            .Select(dir => Path.Combine(dir, "promtool")).FirstOrDefault(File.Exists);
        if (promtool is null)
        {
            output.WriteLine("promtool not installed: exposition format not checked");
            return;
        }
        var start = new ProcessStartInfo(promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        process.StandardInput.Write(text);
        process.StandardInput.Close();
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(30_000), "promtool did not finish");
        Assert.True(process.ExitCode == 0, $"promtool check metrics failed: {stdout}{stderr}");
    }
}
