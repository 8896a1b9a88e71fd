using System.Globalization;

namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// A running Appliance.TestBackend. <see cref="Start"/> returns once it printed <c>LISTENING &lt;port&gt;</c>.
/// The process also exits by itself if the test host dies, because it watches the stdin pipe we hold.
/// In <c>http</c> mode with a record path, every request it receives is journalled there (<see cref="ReadRecord"/>).
/// </summary>
public sealed class BackendProcess : IDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private const string ListeningPrefix = "LISTENING ";

    private ChildProcess _process;

    private BackendProcess(ChildProcess process, BackendMode mode, string name, int port, string? recordPath)
    {
        _process = process;
        Mode = mode;
        Name = name;
        Port = port;
        RecordPath = recordPath;
    }

    public BackendMode Mode { get; }

    public string Name { get; }

    /// <summary>The port it really listens on; <see cref="Restart"/> keeps it.</summary>
    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, ready for a <c>server</c> line.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public int Pid => _process.Pid;

    /// <summary>The <c>--record</c> journal (http mode), or null when not recording.</summary>
    public string? RecordPath { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public OutputLines Stderr => _process.Stderr;

    /// <param name="recordPath">http mode only: journal every request as JSON lines into this file.</param>
    public static BackendProcess Start(BackendMode mode, string name, int port = 0, string? recordPath = null)
    {
        var (process, actualPort) = Launch(mode, name, port, recordPath);
        return new BackendProcess(process, mode, name, actualPort, recordPath);
    }

    /// <summary>An http-mode origin that records into <c>NAME.jsonl</c> in <paramref name="scratch"/>.</summary>
    public static BackendProcess StartRecordingOrigin(ScratchDirectory scratch, string name, int port = 0) =>
        Start(BackendMode.Http, name, port, scratch.PathOf($"{name}.jsonl"));

    /// <summary>Everything journalled so far; the process keeps running and appending.</summary>
    public OriginRecord ReadRecord() =>
        OriginRecord.Read(RecordPath ?? throw new InvalidOperationException($"{this} was started without a record path"));

    /// <summary>SIGKILL: the abrupt death health checks must notice. Waits until the process is reaped.</summary>
    public void Kill() => _process.KillTree();

    /// <summary>Kills it if still running and starts a new one on the same port.</summary>
    public void Restart()
    {
        _process.Dispose();
        (_process, _) = Launch(Mode, Name, Port, RecordPath);
    }

    /// <summary>SIGTERM and wait; returns the exit code or null if it had to be killed.</summary>
    public int? Terminate(TimeSpan grace) => _process.Stop(grace);

    /// <summary>Closes the lifeline pipe, as the kernel does when the test host dies.</summary>
    public void CloseStandardInput() => _process.CloseStandardInput();

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    public void Dispose() => _process.Dispose();

    public override string ToString() => $"{Name} ({Mode.ToString().ToLowerInvariant()}) at {Address}";

    private static (ChildProcess Process, int Port) Launch(BackendMode mode, string name, int port, string? recordPath)
    {
        List<string> arguments =
            ["--mode", mode.ToString().ToLowerInvariant(), "--name", name, "--port", port.ToString(CultureInfo.InvariantCulture)];
        if (recordPath is not null)
        {
            arguments.AddRange(["--record", recordPath]);
        }

        var process = ChildProcess.Start(TestBinaries.TestBackend, arguments);
        var line = process.Stdout.WaitFor(l => l.StartsWith(ListeningPrefix, StringComparison.Ordinal), StartTimeout);
        if (line is null)
        {
            var exited = process.HasExited ? $"exited with {process.ExitCode}" : "is still silent";
            process.Dispose();
            Assert.Fail($"backend {name} ({mode}) on port {port} {exited} without '{ListeningPrefix.Trim()}'.\n" +
                        $"--- stderr ---\n{process.Stderr.Text}\n--- stdout ---\n{process.Stdout.Text}");
        }

        return (process, int.Parse(line.AsSpan(ListeningPrefix.Length), CultureInfo.InvariantCulture));
    }
}
