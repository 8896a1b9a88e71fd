using Appliance.Config.Model;

namespace Appliance.Balancing;

/// <summary>
/// <c>balance random</c> with HAProxy's default of two draws ("power of two choices"): two servers are
/// drawn at random with probability proportional to their runtime weight, and the one with the lower
/// active connections / weight wins (the second draw on a tie, as HAProxy keeps the newer draw unless
/// it is strictly more loaded). This keeps random's statelessness while steering away from loaded
/// servers. Each shard has its own xorshift64* generator, seeded at creation (injectable for tests).
/// </summary>
internal sealed class RandomBalancer : Balancer
{
    private const int Draws = 2;
    private const int GeneratorSlot = 0;

    private readonly PaddedLongArray _generator = new(1);

    public RandomBalancer(BackendState backend, int shard, ulong seed)
        : base(backend, shard)
    {
        // SplitMix64 finaliser: spreads seeds like 0, 1, 2 (e.g. shard numbers) over the whole state
        // space and never yields the all-zero state xorshift cannot leave.
        ulong z = seed + 0x9E3779B97F4A7C15UL * (ulong)(shard + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        _generator[GeneratorSlot] = (long)(z == 0 ? 0x9E3779B97F4A7C15UL : z);
    }

    public override BalanceAlgorithm Algorithm => BalanceAlgorithm.Random;

    public override ServerState? Pick(uint clientAddressHash, ServerState? exclude)
    {
        ReadOnlySpan<ServerState> pool = CurrentPool();
        long totalWeight = 0;
        foreach (var server in pool)
        {
            if (IsCandidate(server, exclude)) totalWeight += server.Weight;
        }
        if (totalWeight == 0) return ExcludedAsLastResort(pool, exclude);

        ServerState? best = null;
        for (int draw = 0; draw < Draws; draw++)
        {
            var drawn = Draw(pool, exclude, totalWeight);
            if (best is null || ReferenceEquals(drawn, best))
            {
                best = drawn;
                continue;
            }
            // Keep the new draw unless it is strictly more loaded relative to its weight.
            if (drawn.ActiveConnections * best.Weight <= best.ActiveConnections * drawn.Weight) best = drawn;
        }
        return best;
    }

    private ServerState Draw(ReadOnlySpan<ServerState> pool, ServerState? exclude, long totalWeight)
    {
        // Lemire's multiply-shift maps 32 random bits onto [0, totalWeight) without a division.
        long target = (long)(((NextRandom() >> 32) * (ulong)totalWeight) >> 32);
        ServerState? last = null;
        foreach (var server in pool)
        {
            if (!IsCandidate(server, exclude)) continue;
            last = server;
            target -= server.Weight;
            if (target < 0) return server;
        }
        // Only reached if a weight dropped between summing and drawing: any candidate will do.
        return last ?? pool[0];
    }

    private ulong NextRandom()
    {
        // xorshift64* (Vigna): 3 shifts, 1 multiply, full 2^64-1 period; quality is ample for spreading.
        ref long slot = ref _generator[GeneratorSlot];
        ulong x = (ulong)slot;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        slot = (long)x;
        return x * 0x2545F4914F6CDD1DUL;
    }
}
