using Appliance.Config.Model;

namespace Appliance.Engine;

/// <summary>
/// How many shards to run and which CPUs each is pinned to: <c>nbthread</c> (default: online CPUs),
/// <c>cpu-map</c> entries for the threads they name (threads numbered from 1), and otherwise shard
/// <c>i</c> on CPU <c>i mod CPUs</c>.
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
        if (cpus.Count == 0) cpus.Add(shard % Environment.ProcessorCount);
        return cpus.Distinct().ToArray();
    }
}
