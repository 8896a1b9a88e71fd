using Appliance.Runtime;

namespace Appliance.Tests.Runtime;

/// <summary>The per-proxy slots a snapshot carries across reloads survive the wire and add up.</summary>
public sealed class CounterSnapshotTests
{
    [Fact]
    public void Proxy_slots_round_trip_and_sum()
    {
        var snapshot = new CounterSnapshot();
        snapshot.FrontendStats["fe"] = [1, 2, 3, 4];
        snapshot.BackendStats["be"] = [10, 20];
        snapshot.ServerStats["be/s1"] = [5, 6, 7];
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) snapshot.Write(writer);
        stream.Position = 0;
        CounterSnapshot read = CounterSnapshot.Read(new BinaryReader(stream));

        Assert.Equal([1, 2, 3, 4], read.FrontendStats["fe"]);
        Assert.Equal(20, read.BackendStat("be", 1));
        Assert.Equal(7, read.ServerStat("be", "s1", 2));
        Assert.Equal(0, read.ServerStat("be", "s1", 30));
        Assert.Equal(0, read.ServerStat("be", "unknown", 0));

        CounterSnapshot sum = CounterSnapshot.Sum([read, snapshot]);
        Assert.Equal(14, sum.ServerStat("be", "s1", 2));
        Assert.Equal(8, sum.FrontendStat("fe", 3));
    }

    [Fact]
    public void A_snapshot_from_an_older_binary_without_proxy_slots_reads_as_zeros()
    {
        var old = new CounterSnapshot();
        old.Frontends["fe"] = 3;
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) old.Write(writer);
        // Cut the three maps this version appends (each an empty map: a 4-byte count).
        stream.SetLength(stream.Length - 12);
        stream.Position = 0;
        CounterSnapshot read = CounterSnapshot.Read(new BinaryReader(stream));
        Assert.Equal(3, read.Frontend("fe"));
        Assert.Equal(0, read.FrontendStat("fe", 0));
    }
}
