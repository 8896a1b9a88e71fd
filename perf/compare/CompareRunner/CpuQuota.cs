namespace CompareRunner;

/// <summary>
/// Caps a proxy's processes to a share of one CPU with a cgroup CPU quota (<c>--proxy-cpu-quota</c>), so
/// that the proxy, not the load CPU, bounds the run and requests/s follows the proxy's cost per request.
/// cgroup v2 (<c>cpu.max</c>) when the cpu controller is on the unified hierarchy, else v1
/// (<c>cpu.cfs_quota_us</c>). Needs root. The group is removed once its processes have ended.
/// </summary>
internal sealed class CpuQuota : IDisposable
{
    /// <summary>Short, so a throttled proxy waits at most a few milliseconds rather than most of 100 ms.</summary>
    private const int PeriodMicroseconds = 10_000;

    private readonly string _group;

    private CpuQuota(string group) => _group = group;

    public static string Describe(int percent) =>
        $"{percent}% of one CPU per proxy (cgroup CPU quota, {PeriodMicroseconds / 1000} ms period)";

    /// <summary>Moves <paramref name="pids"/> (a process tree) into a new group allowed <paramref name="percent"/>% of one CPU.</summary>
    public static CpuQuota Confine(string name, int percent, IEnumerable<int> pids)
    {
        int quota = PeriodMicroseconds * percent / 100;
        string leaf = $"appliance-compare-{Environment.ProcessId}-{name}";
        string group;
        if (File.Exists("/sys/fs/cgroup/cgroup.controllers")
            && File.ReadAllText("/sys/fs/cgroup/cgroup.controllers").Split([' ', '\n']).Contains("cpu"))
        {
            File.WriteAllText("/sys/fs/cgroup/cgroup.subtree_control", "+cpu");
            group = Path.Combine("/sys/fs/cgroup", leaf);
            Directory.CreateDirectory(group);
            File.WriteAllText(Path.Combine(group, "cpu.max"), $"{quota} {PeriodMicroseconds}");
        }
        else if (File.Exists("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"))
        {
            group = Path.Combine("/sys/fs/cgroup/cpu", leaf);
            Directory.CreateDirectory(group);
            File.WriteAllText(Path.Combine(group, "cpu.cfs_period_us"), PeriodMicroseconds.ToString());
            File.WriteAllText(Path.Combine(group, "cpu.cfs_quota_us"), quota.ToString());
        }
        else
        {
            throw new InvalidOperationException("--proxy-cpu-quota: no cgroup cpu controller under /sys/fs/cgroup");
        }
        // Each write moves one process with all its threads; children started later inherit the group.
        foreach (int pid in pids) File.WriteAllText(Path.Combine(group, "cgroup.procs"), pid.ToString());
        return new CpuQuota(group);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_group);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"could not remove cgroup {_group}: {e.Message}");
        }
    }
}
