using Appliance.Engine;
using Appliance.Forwarding.Http;

namespace Appliance.Tests.Forwarding;

/// <summary>
/// HAProxy's idle-pool sizing, per shard: a released connection is kept while in-use plus idle fits the
/// estimated need (plus pool-low-conn) or when none is idle; each purge period closes half of the excess.
/// </summary>
public class ConnectionNeedEstimateTests
{
    [Fact]
    public void TheFirstIdleConnectionIsAlwaysKept()
    {
        var need = new ConnectionNeedEstimate(TimerQueue.Never);
        Assert.True(need.ShouldKeep(inUse: 1, idle: 0, lowConn: 0));
    }

    [Fact]
    public void ClientsThatCloseAfterEachRequestKeepOneIdleConnectionNotOnePerClient()
    {
        // One request at a time, each on a new client connection: each opens its own server connection
        // (a first request never takes an idle one), so every release after the first is surplus.
        var need = new ConnectionNeedEstimate(TimerQueue.Never);
        int idle = 0;
        for (int request = 0; request < 100; request++)
        {
            if (need.ShouldKeep(inUse: 1, idle, lowConn: 0)) idle++;
        }
        Assert.Equal(1, idle);
    }

    [Fact]
    public void ConnectionsReleasedAfterAPeakAreKeptUpToThePeak()
    {
        var need = new ConnectionNeedEstimate(TimerQueue.Never);
        int idle = 0;
        // Ten in use at once, released one by one: in use + idle stays 10, within the need.
        for (int inUse = 10; inUse >= 1; inUse--)
        {
            Assert.True(need.ShouldKeep(inUse, idle, lowConn: 0), $"release with {inUse} in use, {idle} idle");
            idle++;
        }
        Assert.Equal((10, 10), (need.PeakInUse, need.EstimatedNeed));
        // An eleventh connection beyond the peak that nothing needs is not kept...
        Assert.False(need.ShouldKeep(inUse: 1, idle, lowConn: 0));
        // ...unless pool-low-conn leaves room for it.
        Assert.True(need.ShouldKeep(inUse: 1, idle, lowConn: 1));
    }

    [Fact]
    public void EachPurgeClosesHalfTheExcessRoundedUpAndTheNeedDecaysToZero()
    {
        var need = new ConnectionNeedEstimate(1000);
        int idle = 0;
        for (int inUse = 8; inUse >= 1; inUse--)
        {
            Assert.True(need.ShouldKeep(inUse, idle, lowConn: 0));
            idle++;
        }
        // Traffic stops with 8 idle. Period by period: need 8 → 4 → 2 → 1 → 0, excess halved.
        var closedPerPeriod = new List<int>();
        for (int period = 1; period <= 8 && idle > 0; period++)
        {
            int close = need.EndPurgePeriod(inUse: 0, idle, nextPurge: 1000 * (period + 1));
            closedPerPeriod.Add(close);
            idle -= close;
        }
        Assert.Equal([0, 0, 2, 2, 2, 1, 1], closedPerPeriod);
        Assert.Equal(0, idle);
        Assert.Equal(8000, need.NextPurge);
    }

    [Fact]
    public void SteadyUseKeepsItsConnectionsAcrossPurges()
    {
        var need = new ConnectionNeedEstimate(0);
        int idle = 0;
        for (int period = 1; period <= 5; period++)
        {
            // Four connections busy in turn: each release sees the three others in use or idle.
            for (int i = 0; i < 20; i++)
            {
                if (need.ShouldKeep(inUse: 4 - idle, idle, lowConn: 0)) idle = Math.Min(idle + 1, 4);
                if (idle == 4) idle = 0; // all four taken again
            }
            Assert.Equal(0, need.EndPurgePeriod(inUse: 4 - idle, idle, nextPurge: period));
        }
        Assert.Equal(4, need.EstimatedNeed);
    }
}
