using System.Net;
using Appliance.Balancing;
using Appliance.Config.Model;
using static Appliance.Tests.Balancing.TestBackends;

namespace Appliance.Tests.Balancing;

public class SourceBalancerTests
{
    [Fact]
    public void Same_client_maps_to_the_same_server_on_every_shard()
    {
        var backend = Backend(BalanceAlgorithm.Source, Server("a", weight: 2), Server("b", weight: 3), Server("c"));
        var shard0 = Balancer.Create(backend, 0);
        var shard1 = Balancer.Create(backend, 1);

        for (uint hash = 0; hash < 5000; hash += 7)
        {
            var first = shard0.Pick(hash, null);
            Assert.Same(first, shard0.Pick(hash, null));
            Assert.Same(first, shard1.Pick(hash, null));
        }
    }

    [Fact]
    public void Spreads_clients_by_weight()
    {
        var backend = Backend(BalanceAlgorithm.Source, Server("a", weight: 3), Server("b", weight: 1));
        var counts = Count(Balancer.Create(backend, 0), 4000, i => (uint)i);

        Assert.Equal(3000, counts["a"]); // map-based: hash % 4 over a table holding a 3 times, b once
        Assert.Equal(1000, counts["b"]);
    }

    [Fact]
    public void Only_clients_of_a_lost_server_move_while_others_stay_until_it_returns()
    {
        var backend = Backend(BalanceAlgorithm.Source, Server("a"), Server("b"), Server("c"));
        var balancer = Balancer.Create(backend, 0);
        var b = backend.Servers[1];
        var before = Enumerable.Range(0, 300).Select(h => balancer.Pick((uint)h, null)).ToArray();

        b.SetOperationalState(OperationalState.Down, DateTimeOffset.UtcNow);
        var during = Enumerable.Range(0, 300).Select(h => balancer.Pick((uint)h, null)).ToArray();
        Assert.DoesNotContain(b, during);
        // The same client keeps landing on one server while the set is stable.
        Assert.Equal(during, Enumerable.Range(0, 300).Select(h => balancer.Pick((uint)h, null)));

        b.SetOperationalState(OperationalState.Up, DateTimeOffset.UtcNow);
        Assert.Equal(before, Enumerable.Range(0, 300).Select(h => balancer.Pick((uint)h, null)));
    }

    [Fact]
    public void Full_hashed_server_falls_through_to_the_next_entry()
    {
        var backend = Backend(BalanceAlgorithm.Source, Server("a", maxConn: 1), Server("b"));
        var (a, b) = (backend.Servers[0], backend.Servers[1]);
        var balancer = Balancer.Create(backend, 0);
        uint hashOnA = Enumerable.Range(0, 10).Select(h => (uint)h).First(h => balancer.Pick(h, null) == a);

        a.ConnectionOpened(0);
        Assert.Same(b, balancer.Pick(hashOnA, null));
        a.ConnectionClosed(0);
        Assert.Same(a, balancer.Pick(hashOnA, null));
    }

    [Fact]
    public void Address_hash_is_haproxys_map_based_one()
    {
        Assert.Equal(0x0A000001u, ClientAddressHash.Compute(IPAddress.Parse("10.0.0.1")));
        Assert.Equal(0x0A000001u, ClientAddressHash.ComputeIPv4(BitConverter.ToUInt32([10, 0, 0, 1])));
        // IPv6: the four big-endian 32-bit words XORed.
        Assert.Equal(0x20010db8u ^ 0x00000001u, ClientAddressHash.Compute(IPAddress.Parse("2001:db8::1")));

        // Neighbouring IPv4 clients take neighbouring table entries, as under HAProxy.
        var backend = Backend(BalanceAlgorithm.Source, Server("a"), Server("b"));
        var balancer = Balancer.Create(backend, 0);
        var first = balancer.Pick(ClientAddressHash.Compute(IPAddress.Parse("192.0.2.10")), null);
        var second = balancer.Pick(ClientAddressHash.Compute(IPAddress.Parse("192.0.2.11")), null);
        Assert.NotSame(first, second);
    }
}
