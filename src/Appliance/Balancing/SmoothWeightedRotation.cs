namespace Appliance.Balancing;

/// <summary>
/// One step of smooth weighted round-robin (nginx's algorithm): every included server's score grows by
/// its weight, the highest score wins (the earliest declared on ties) and pays back the total weight.
/// Over any run of picks whose set and weights do not change, each server is picked exactly
/// weight/total of the time, and picks of a heavy server are interleaved rather than bunched
/// (weights 3:1 give a a b a, not a a a b).
/// <para>
/// Used live by <c>roundrobin</c> (one step per pick, so it follows servers going down or up and weight
/// changes at once) and to fill the precomputed table shared by <c>static-rr</c> and <c>source</c>.
/// </para>
/// </summary>
internal static class SmoothWeightedRotation
{
    /// <summary>
    /// Advances the rotation over <paramref name="pool"/> and returns the chosen position in it, or -1
    /// when every server weighs 0. <paramref name="scores"/> is parallel to <paramref name="pool"/>.
    /// Servers left out keep their score, so one that returns resumes where it was instead of being
    /// flooded or starved.
    /// </summary>
    public static int Step(ReadOnlySpan<ServerState> pool, Span<long> scores, ServerState? exclude, RotationWeight weight)
    {
        long total = 0;
        int best = -1;
        for (int i = 0; i < pool.Length; i++)
        {
            int w = WeightOf(pool[i], exclude, weight);
            if (w <= 0) continue;
            scores[i] += w;
            total += w;
            if (best < 0 || scores[i] > scores[best]) best = i;
        }
        if (best >= 0) scores[best] -= total;
        return best;
    }

    public static int WeightOf(ServerState server, ServerState? exclude, RotationWeight weight) => weight switch
    {
        RotationWeight.Candidate =>
            !ReferenceEquals(server, exclude) && server.IsUsable && server.HasFreeSlot ? server.Weight : 0,
        RotationWeight.Usable => server.IsUsable ? server.Weight : 0,
        _ => server.IsUsable ? server.Config.Weight : 0,
    };
}
