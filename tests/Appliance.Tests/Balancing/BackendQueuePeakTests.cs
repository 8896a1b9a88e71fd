using Appliance.Config.Model;
using Appliance.Engine;
using Appliance.Forwarding;

namespace Appliance.Tests.Balancing;

/// <summary>
/// HAProxy's <c>qmax</c> for a backend served by several shards: the most sessions that waited at the same
/// time over all shards, not the sum of each shard's own peak (waits that never overlapped).
/// </summary>
public class BackendQueuePeakTests
{
    [Fact]
    public void PeaksOnDifferentShardsAtDifferentTimesDoNotAddUp()
    {
        var backend = new Backend(0, TestBackends.Backend(BalanceAlgorithm.RoundRobin, 2, TestBackends.Server("s1")));
        var shard0 = new ProxyCounters(0, frontendCount: 0, backendCount: 1);
        var shard1 = new ProxyCounters(1, frontendCount: 0, backendCount: 1);

        shard0.SetQueued(backend, 3);
        shard0.SetQueued(backend, 0);
        shard1.SetQueued(backend, 2);
        Assert.Equal(2, backend.State.Queued);
        shard1.SetQueued(backend, 0);

        Assert.Equal(3, backend.State.QueuePeak);
        Assert.Equal(0, backend.State.Queued);
        Assert.Equal(0, shard0.Backend(0, ProxyCounters.BackendQueueCurrent));
    }

    [Fact]
    public void OverlappingWaitsOnTwoShardsAddUp()
    {
        var backend = new Backend(0, TestBackends.Backend(BalanceAlgorithm.RoundRobin, 2, TestBackends.Server("s1")));
        var shard0 = new ProxyCounters(0, frontendCount: 0, backendCount: 1);
        var shard1 = new ProxyCounters(1, frontendCount: 0, backendCount: 1);

        shard0.SetQueued(backend, 2);
        shard1.SetQueued(backend, 3);
        shard0.SetQueued(backend, 1);
        shard1.SetQueued(backend, 3); // unchanged: no double count

        Assert.Equal(5, backend.State.QueuePeak);
        Assert.Equal(4, backend.State.Queued);
    }

    [Fact]
    public void PeakIsExactUnderConcurrentChanges()
    {
        var backend = new Backend(0, TestBackends.Backend(BalanceAlgorithm.RoundRobin, 4, TestBackends.Server("s1")));
        Parallel.For(0, 4, shard =>
        {
            for (int i = 0; i < 10_000; i++)
            {
                backend.State.AddQueued(1);
                backend.State.AddQueued(-1);
            }
        });
        Assert.Equal(0, backend.State.Queued);
        Assert.InRange(backend.State.QueuePeak, 1, 4);
    }
}
