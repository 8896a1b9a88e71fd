using Appliance.Config.Model;
using Appliance.Engine;
using Appliance.Native;

namespace Appliance.Tests.Engine;

public sealed class ShardPlacementTests
{
    [Fact]
    public void Allowed_cpus_are_the_process_affinity_mask()
    {
        // /proc's Cpus_allowed_list is the kernel's own rendering of the same mask, e.g. "0-1" or "1,3".
        string list = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))["Cpus_allowed_list:".Length..].Trim();
        var expected = new List<int>();
        foreach (string part in list.Split(','))
        {
            string[] range = part.Split('-');
            int first = int.Parse(range[0]), last = int.Parse(range[^1]);
            for (int cpu = first; cpu <= last; cpu++) expected.Add(cpu);
        }
        Assert.Equal(expected, CpuAffinity.AllowedCpus());
    }

    [Fact]
    public void Default_placement_stays_inside_the_mask_and_cpu_map_wins()
    {
        int[] allowed = CpuAffinity.AllowedCpus();
        for (int shard = 0; shard < 8; shard++)
        {
            Assert.Equal([allowed[shard % allowed.Length]], ShardPlacement.CpusFor(GlobalConfig.Default, shard));
        }
        var location = new SourceLocation("test.cfg", 1);
        var mapped = GlobalConfig.Default with
        {
            CpuMaps = new ValueList<CpuMapConfig>([new CpuMapConfig(new ValueList<int>([2]), new ValueList<int>([5, 6]), location)]),
        };
        Assert.Equal([5, 6], ShardPlacement.CpusFor(mapped, 1));
    }
}
