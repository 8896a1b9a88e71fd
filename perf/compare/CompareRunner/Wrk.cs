using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CompareRunner;

/// <summary>One wrk run's figures, as wrk prints them.</summary>
internal sealed record WrkResult(long Requests, double Seconds, double RequestsPerSecond, double BytesPerSecond, long SocketErrors, long Non2xx, string Output);

/// <summary>
/// Runs <c>wrk -t1</c> on the load CPU (one thread: the load generator owns one core, see the README) and
/// parses its summary. Bounded by <c>-d</c>; the process is killed if it overruns by 30 s.
/// </summary>
internal static partial class Wrk
{
    public static WrkResult Run(int cpu, string url, int connections, int seconds, string? header = null)
    {
        var info = new ProcessStartInfo("taskset") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])["-c", cpu.ToString(CultureInfo.InvariantCulture), "wrk", "-t1", $"-c{connections}", $"-d{seconds}s", "--timeout", "5s"])
            info.ArgumentList.Add(a);
        if (header is not null)
        {
            info.ArgumentList.Add("-H");
            info.ArgumentList.Add(header);
        }
        info.ArgumentList.Add(url);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("cannot start wrk");
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(seconds + 30)))
        {
            process.Kill();
            throw new TimeoutException($"wrk {url} did not finish");
        }
        string output = stdout.Result + stderr.Result;
        return Parse(output);
    }

    internal static WrkResult Parse(string output)
    {
        Match total = TotalLine().Match(output);
        Match rps = RateLine().Match(output);
        Match transfer = TransferLine().Match(output);
        if (!total.Success || !rps.Success || !transfer.Success) throw new InvalidOperationException($"unexpected wrk output:\n{output}");
        long requests = long.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture);
        double seconds = Duration(total.Groups[2].Value, total.Groups[3].Value);
        double bytesPerSecond = Bytes(transfer.Groups[1].Value, transfer.Groups[2].Value);
        long errors = 0;
        Match socket = SocketErrorsLine().Match(output);
        if (socket.Success) for (int g = 1; g <= 4; g++) errors += long.Parse(socket.Groups[g].Value, CultureInfo.InvariantCulture);
        Match non2xx = Non2xxLine().Match(output);
        long bad = non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return new WrkResult(requests, seconds, double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture), bytesPerSecond, errors, bad, output);
    }

    private static double Duration(string value, string unit)
    {
        double v = double.Parse(value, CultureInfo.InvariantCulture);
        return unit switch { "us" => v / 1e6, "ms" => v / 1e3, "s" => v, "m" => v * 60, _ => v };
    }

    /// <summary>wrk's units are binary: 1KB = 1024 B.</summary>
    private static double Bytes(string value, string unit)
    {
        double v = double.Parse(value, CultureInfo.InvariantCulture);
        return unit switch { "KB" => v * 1024, "MB" => v * 1024 * 1024, "GB" => v * 1024 * 1024 * 1024, "TB" => v * 1024.0 * 1024 * 1024 * 1024, _ => v };
    }

    [GeneratedRegex(@"(\d+) requests in ([\d.]+)(us|ms|s|m)")]
    private static partial Regex TotalLine();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RateLine();

    [GeneratedRegex(@"Transfer/sec:\s+([\d.]+)([KMGT]?B)")]
    private static partial Regex TransferLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xxLine();
}
