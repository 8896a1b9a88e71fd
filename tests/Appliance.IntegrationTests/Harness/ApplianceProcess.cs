namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// An <c>appliance run -f FILE</c> process. <see cref="Start"/> writes the config into the test's scratch
/// directory, starts the process and returns once stderr has a line containing <see cref="ReadyMarker"/>
/// (every listener bound, every shard running), failing with the captured stderr if the process exits or the
/// deadline passes first. <see cref="Dispose"/> always kills it and copies the tail of its stderr to the test
/// output, which is where a failing test's diagnosis starts.
/// </summary>
public sealed class ApplianceProcess : IDisposable
{
    public const string ReadyMarker = "Appliance ready";
    public const string ConfigFileName = "appliance.cfg";

    /// <summary>Generous for a cold native or JIT start on a loaded 2-core machine; readiness is a probe.</summary>
    public static readonly TimeSpan DefaultReadyTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How long SIGTERM gets before <see cref="Stop"/> kills.</summary>
    public static readonly TimeSpan DefaultStopGrace = TimeSpan.FromSeconds(10);

    private const int LoggedStderrLines = 200;

    private readonly ChildProcess _process;
    private readonly ITestOutputHelper? _log;

    private ApplianceProcess(ChildProcess process, string configPath, ITestOutputHelper? log)
    {
        _process = process;
        ConfigPath = configPath;
        _log = log;
    }

    public string ConfigPath { get; }

    public int Pid => _process.Pid;

    public OutputLines Stdout => _process.Stdout;

    public OutputLines Stderr => _process.Stderr;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts and waits for readiness; throws (after killing the process) if it never comes.</summary>
    /// <param name="arguments">More <c>run</c> arguments (e.g. <c>-S</c> for the master CLI socket).</param>
    /// <param name="environment">Extra environment variables (e.g. <c>NOTIFY_SOCKET</c>).</param>
    public static ApplianceProcess Start(
        ScratchDirectory scratch, string config, ITestOutputHelper? log = null, TimeSpan? readyTimeout = null,
        IReadOnlyList<string>? arguments = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var appliance = Launch(scratch, config, log, arguments: arguments, environment: environment);
        try
        {
            appliance.WaitUntilReady(readyTimeout ?? DefaultReadyTimeout);
            return appliance;
        }
        catch
        {
            appliance.Dispose();
            throw;
        }
    }

    /// <summary>Starts without waiting: for tests that expect a refusal or accept several outcomes.</summary>
    public static ApplianceProcess Launch(
        ScratchDirectory scratch, string config, ITestOutputHelper? log = null, LaunchCommand? binary = null,
        IReadOnlyList<string>? arguments = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var configPath = WriteConfig(scratch, config);
        var process = ChildProcess.Start(
            binary ?? TestBinaries.Appliance, ["run", "-f", configPath, .. arguments ?? []], scratch.FullPath, environment);
        return new ApplianceProcess(process, configPath, log);
    }

    /// <summary>
    /// Writes <paramref name="config"/> as <see cref="ConfigFileName"/>, ending in a newline like any edited file
    /// (raw string literals do not, and HAProxy rejects a last line without LF).
    /// </summary>
    public static string WriteConfig(ScratchDirectory scratch, string config) =>
        scratch.WriteFile(ConfigFileName, config.EndsWith('\n') ? config : config + "\n");

    public StartOutcome WaitForReadyOrExit(TimeSpan timeout)
    {
        if (Stderr.WaitFor(IsReadyLine, timeout) is not null)
        {
            return StartOutcome.Ready;
        }

        // The stream ends when the process exits; give the exit status a moment to be reaped.
        return Stderr.IsCompleted && _process.WaitForExit(TimeSpan.FromSeconds(5))
            ? StartOutcome.Exited
            : StartOutcome.TimedOut;
    }

    public void WaitUntilReady(TimeSpan timeout)
    {
        switch (WaitForReadyOrExit(timeout))
        {
            case StartOutcome.Ready:
                return;
            case StartOutcome.Exited:
                Assert.Fail($"appliance exited with {ExitCode} before '{ReadyMarker}'.\n{Diagnostics()}");
                break;
            default:
                Assert.Fail($"appliance not ready after {timeout.TotalSeconds:0.#} s.\n{Diagnostics()}");
                break;
        }
    }

    /// <summary>SIGTERM, then kill after <paramref name="grace"/>. Returns the exit code, null if it had to be killed.</summary>
    public int? Stop(TimeSpan? grace = null) => _process.Stop(grace ?? DefaultStopGrace);

    public void Signal(int signal) => _process.Signal(signal);

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    /// <summary>Entries in /proc/PID/fd of the appliance and any worker processes it spawned.</summary>
    public int OpenFileDescriptorCount() => ProcFileSystem.CountOpenFileDescriptors(Pid);

    /// <summary>Config, stdout and stderr tails, for assertion messages.</summary>
    public string Diagnostics() =>
        $"config {ConfigPath}:\n{File.ReadAllText(ConfigPath)}\n--- stderr ---\n{Stderr.Tail(LoggedStderrLines)}" +
        $"\n--- stdout ---\n{Stdout.Tail(LoggedStderrLines)}";

    public void Dispose()
    {
        _process.Dispose();
        try
        {
            _log?.WriteLine($"appliance pid {Pid} stderr (last {LoggedStderrLines} lines):\n{Stderr.Tail(LoggedStderrLines)}");
        }
        catch (InvalidOperationException)
        {
            // No test is active any more (disposed from a fixture); the output has nowhere to go.
        }
    }

    private static bool IsReadyLine(string line) => line.Contains(ReadyMarker, StringComparison.Ordinal);
}
