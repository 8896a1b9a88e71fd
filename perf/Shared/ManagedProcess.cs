using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Appliance.Perf;

/// <summary>
/// A process a perf tool started (pinned with <c>taskset</c> when given a CPU), its output in a log file,
/// its CPU time and memory read from <c>/proc</c> (the process and every descendant, e.g. nginx workers),
/// and a stop that signals only its own PID: SIGTERM, then SIGKILL after a grace period.
/// Linked into CompareRunner and Appliance.Load (perf/Shared).
/// </summary>
internal sealed partial class ManagedProcess : IDisposable
{
    private const int SigTerm = 15;
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ManagedProcess(string name, Process process, StreamWriter log)
    {
        Name = name;
        _process = process;
        _log = log;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts <paramref name="command"/>, under <c>taskset -c CPU</c> when <paramref name="cpu"/> is given
    /// (taskset execs it: same PID).
    /// </summary>
    public static ManagedProcess Start(string name, int? cpu, string logPath, string command, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(cpu is null ? command : "taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (cpu is not null)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(cpu.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            info.ArgumentList.Add(command);
        }
        foreach (string a in arguments) info.ArgumentList.Add(a);
        if (environment is not null) foreach (var (k, v) in environment) info.Environment[k] = v;

        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {command}");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ManagedProcess(name, process, log);
    }

    /// <summary>utime + stime of the process and its descendants, in clock ticks.</summary>
    public long CpuTicks()
    {
        long total = 0;
        foreach (int pid in Tree()) total += ProcStat.CpuTicks(pid);
        return total;
    }

    /// <summary>Resident memory (VmRSS) of the process and its descendants, in KiB.</summary>
    public long RssKib()
    {
        long total = 0;
        foreach (int pid in Tree()) total += ProcStat.RssKib(pid);
        return total;
    }

    /// <summary>The CPUs each thread of the tree may run on, e.g. <c>appliance: 1 (4 threads)</c>.</summary>
    public string Placement()
    {
        var byList = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (int pid in Tree())
        {
            string taskDir = $"/proc/{pid}/task";
            if (!Directory.Exists(taskDir)) continue;
            foreach (string task in Directory.GetDirectories(taskDir))
            {
                string? allowed = ProcStat.CpusAllowed(Path.Combine(task, "status"));
                if (allowed is null) continue;
                byList[allowed] = byList.GetValueOrDefault(allowed) + 1;
            }
        }
        return string.Join(", ", byList.Select(kv => $"CPU {kv.Key} ({kv.Value} thread{(kv.Value == 1 ? "" : "s")})"));
    }

    /// <summary>This PID and all its descendants (found through the PPid of every /proc entry).</summary>
    public List<int> Tree()
    {
        var result = new List<int> { Pid };
        var parents = new Dictionary<int, List<int>>();
        foreach (string dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            int ppid = ProcStat.ParentPid(pid);
            if (ppid <= 0) continue;
            if (!parents.TryGetValue(ppid, out var children)) parents[ppid] = children = [];
            children.Add(pid);
        }
        for (int i = 0; i < result.Count; i++)
        {
            if (parents.TryGetValue(result[i], out var children)) result.AddRange(children);
        }
        return result;
    }

    public void Stop(TimeSpan grace)
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, SigTerm);
            if (!_process.WaitForExit(grace)) _process.Kill(entireProcessTree: false);
            _process.WaitForExit(TimeSpan.FromSeconds(5));
        }
    }

    private bool _disposed;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Stop(TimeSpan.FromSeconds(5));
        _process.Dispose();
        lock (_log) _log.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
