using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// A process started by a test: stdout and stderr are captured line by line into <see cref="OutputLines"/>,
/// stdin is a pipe the test holds open (the test backend exits when it closes), and
/// <see cref="Dispose"/> always kills the whole process tree. As a last resort every live child is also killed
/// when the test host exits normally.
/// </summary>
public sealed partial class ChildProcess : IDisposable
{
    public const int SignalInterrupt = 2;
    public const int SignalKill = 9;
    public const int SignalTerminate = 15;

    // errno ESRCH: the process is gone, which is what the caller wanted anyway.
    private const int EsrchNoSuchProcess = 3;

    // Bounds how long a kill or the end of output capture may take before we stop waiting.
    private static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(10);

    private static readonly object LiveGate = new();
    private static readonly HashSet<ChildProcess> Live = [];

    private readonly Process _process;
    private readonly Task _stdoutPump;
    private readonly Task _stderrPump;
    private int _disposed;
    private int? _exitCodeAtDispose;
    private bool _released;

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAllLive();
    }

    private ChildProcess(Process process, string description)
    {
        _process = process;
        Pid = process.Id;
        Description = description;
        _stdoutPump = Pump(process.StandardOutput, Stdout);
        _stderrPump = Pump(process.StandardError, Stderr);
        lock (LiveGate)
        {
            Live.Add(this);
        }
    }

    public int Pid { get; }

    public string Description { get; }

    public OutputLines Stdout { get; } = new();

    public OutputLines Stderr { get; } = new();

    /// <summary>True once it exited; always true after <see cref="Dispose"/>, which kills it.</summary>
    public bool HasExited => Volatile.Read(ref _released) || _process.HasExited;

    /// <summary>Exit status; 128 + N when the process died from signal N. Still readable after dispose.</summary>
    public int ExitCode => Volatile.Read(ref _released)
        ? _exitCodeAtDispose ?? throw new InvalidOperationException($"{this} was never reaped")
        : _process.ExitCode;

    /// <param name="environment">Variables to set (null value: remove) on top of the test host's environment.</param>
    public static ChildProcess Start(
        LaunchCommand command, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in command.LeadingArguments.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[name] = value;
        }

        var description = string.Join(' ', [info.FileName, .. info.ArgumentList]);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {description}");
        return new ChildProcess(process, description);
    }

    /// <summary>Waits for exit and for the captured output to be complete.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            return false;
        }

        // EOF on the pipes normally follows exit at once; a grandchild that inherited them could hold them open,
        // so the wait is bounded.
        Task.WaitAll([_stdoutPump, _stderrPump], ReapTimeout);
        return true;
    }

    /// <summary>Sends a signal with kill(2); a process that already exited is not an error.</summary>
    public void Signal(int signal)
    {
        if (!_process.HasExited && Kill(Pid, signal) != 0 && Marshal.GetLastPInvokeError() != EsrchNoSuchProcess)
        {
            throw new InvalidOperationException($"kill({Pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>
    /// SIGTERM, then up to <paramref name="grace"/> for a clean exit. Returns the exit code, or null when the
    /// process had to be killed.
    /// </summary>
    public int? Stop(TimeSpan grace)
    {
        Signal(SignalTerminate);
        if (WaitForExit(grace))
        {
            return ExitCode;
        }

        KillTree();
        return null;
    }

    /// <summary>SIGKILL to the process and all its descendants, then wait until it is reaped.</summary>
    public void KillTree()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Raced with its own exit.
        }

        WaitForExit(ReapTimeout);
    }

    public void CloseStandardInput() => _process.StandardInput.Close();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        KillTree();
        lock (LiveGate)
        {
            Live.Remove(this);
        }

        _exitCodeAtDispose = _process.HasExited ? _process.ExitCode : null;
        // Published before the Process object goes away, so HasExited/ExitCode never touch a disposed one.
        Volatile.Write(ref _released, true);
        _process.Dispose();
    }

    public override string ToString() => $"{Description} (pid {Pid})";

    private static Task Pump(StreamReader reader, OutputLines lines) => Task.Run(async () =>
    {
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lines.Add(line);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe broke with the process; what was read is kept.
        }
        finally
        {
            lines.Complete();
        }
    });

    private static void KillAllLive()
    {
        ChildProcess[] survivors;
        lock (LiveGate)
        {
            survivors = [.. Live];
        }

        foreach (var child in survivors)
        {
            try
            {
                child._process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }
        }
    }

    /// <summary>SIGKILL to a process this test did not start itself (e.g. a worker of an appliance under test).</summary>
    public static void KillProcess(int pid)
    {
        if (Kill(pid, SignalKill) != 0 && Marshal.GetLastPInvokeError() != EsrchNoSuchProcess)
        {
            throw new InvalidOperationException($"kill({pid}, SIGKILL) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
