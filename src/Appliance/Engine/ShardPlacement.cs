using Appliance.Config.Model;

namespace Appliance.Engine;

/// <summary>
/// How many shards to run and which CPUs each is pinned to: <c>nbthread</c> (default: online CPUs),
/// <c>cpu-map</c> entries for the threads they name (threads numbered from 1), and otherwise shard
/// <c>i</c> on the <c>i mod N</c>-th of the N CPUs the process may use (its affinity mask: taskset,
/// systemd CPUAffinity, a container's cpuset), so shards never escape the mask they were started in.
/// </summary>
internal static class ShardPlacement
{
    public static int ShardCount(GlobalConfig global) => global.NbThread ?? Environment.ProcessorCount;

    public static int[] CpusFor(GlobalConfig global, int shard)
    {
        int thread = shard + 1;
        var cpus = new List<int>();
        foreach (CpuMapConfig map in global.CpuMaps)
        {
            if (map.Threads.Items.Contains(thread)) cpus.AddRange(map.Cpus);
        }
        if (cpus.Count == 0)
        {
            int[] allowed = Native.CpuAffinity.AllowedCpus();
            cpus.Add(allowed[shard % allowed.Length]);
        }
        return cpus.Distinct().ToArray();
    }
}
