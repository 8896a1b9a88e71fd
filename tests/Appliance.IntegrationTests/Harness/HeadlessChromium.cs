using System.Diagnostics;

namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// Debian's <c>chromium</c> in headless mode, one run per call with a fresh profile directory (so no state
/// leaks between tests and nothing reaches the network: background networking, sync and component updates
/// are off). test.sh installs the package.
/// </summary>
public static class HeadlessChromium
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    public static string? Executable =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    /// <summary>The DOM after the page loaded (<c>--dump-dom</c>).</summary>
    public static string DumpDom(ScratchDirectory scratch, string url) => Run(scratch, ["--dump-dom", url]);

    /// <summary>Renders the page into a PNG file (<c>--screenshot</c>) of the given window size.</summary>
    public static void Screenshot(ScratchDirectory scratch, string url, string pngPath, int width, int height) =>
        Run(scratch, [$"--screenshot={pngPath}", $"--window-size={width},{height}", "--hide-scrollbars", url]);

    private static string Run(ScratchDirectory scratch, IEnumerable<string> arguments)
    {
        string executable = Executable ?? throw new InvalidOperationException(
            "chromium is not installed (apt-get install -y chromium; test.sh does it when run as root)");
        string profile = Directory.CreateTempSubdirectory("chromium-profile-").FullName;
        try
        {
            var info = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = scratch.FullPath,
            };
            foreach (string argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--disable-dev-shm-usage", $"--user-data-dir={profile}"])
            {
                info.ArgumentList.Add(argument);
            }
            foreach (string argument in arguments) info.ArgumentList.Add(argument);
            using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start chromium");
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(RunTimeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
                throw new TimeoutException($"chromium did not finish in {RunTimeout.TotalSeconds} s: {stderr.Result}");
            }
            if (process.ExitCode != 0) throw new InvalidOperationException($"chromium exited with {process.ExitCode}: {stderr.Result}");
            return stdout.Result;
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                // A crash helper may still hold a file for a moment; the temp directory is cleaned eventually.
            }
        }
    }
}
