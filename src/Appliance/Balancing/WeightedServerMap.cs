namespace Appliance.Balancing;

/// <summary>
/// A precomputed table in which each usable server appears as many times as its weight, interleaved by
/// <see cref="SmoothWeightedRotation"/> (HAProxy's "map" used by <c>static-rr</c> and map-based hashing).
/// The table covers the current pool (actives, or the first usable backup) and is rebuilt lazily, on the
/// owning shard, the first time it is used after <see cref="BackendState.StateGeneration"/> moved — so a
/// pick costs O(1) while nothing changes, and a rebuild O(total weight × servers) once per change.
/// Being full (maxconn) or excluded is transient and is not a rebuild reason: <see cref="FindFrom"/>
/// walks past such entries instead.
/// <para>Every shard builds the same table from the same server states, which is what makes
/// <c>source</c> map a client to the same server on every shard.</para>
/// </summary>
internal sealed class WeightedServerMap
{
    private readonly BackendState _backend;
    private readonly RotationWeight _weight;
    private long[] _scores;
    private ServerState[] _entries;
    private int _length;
    private long _builtFromGeneration = -1;

    public WeightedServerMap(BackendState backend, RotationWeight weight)
    {
        _backend = backend;
        _weight = weight;
        _scores = new long[Math.Max(backend.Current.ActiveArray.Length, 1)];
        int configuredTotal = 0;
        foreach (var server in backend.Servers) configuredTotal += server.Config.Weight;
        _entries = new ServerState[Math.Max(configuredTotal, 1)];
    }

    /// <summary>Entries in the current table (the pool's total weight); 0 when no server is usable.</summary>
    public int Length => _length;

    /// <summary>
    /// Rebuilds the table if any server changed since it was built. <paramref name="generation"/> is
    /// <see cref="BackendState.StateGeneration"/> read before <paramref name="pool"/> was chosen (which
    /// reads server states): a change racing with the choice or the rebuild bumps it again and the next
    /// pick rebuilds once more, so a stale table never survives. (Read after the pool, a server going
    /// down in between left a table built from the old pool stamped with the new generation: e.g. an
    /// empty one while a backup was usable, answering 503 until the next state change.) Owning shard only.
    /// </summary>
    public void Refresh(ReadOnlySpan<ServerState> pool, long generation)
    {
        if (generation == _builtFromGeneration) return;
        Rebuild(pool);
        _builtFromGeneration = generation;
    }

    /// <summary>
    /// Returns the first entry at or after <paramref name="start"/> (wrapping) that can take a connection
    /// with <paramref name="exclude"/> avoided, and its position; null and -1 when none can.
    /// </summary>
    public ServerState? FindFrom(int start, ServerState? exclude, out int position)
    {
        int length = _length;
        var entries = _entries;
        int index = start;
        for (int step = 0; step < length; step++)
        {
            if (index >= length) index = 0;
            var server = entries[index];
            if (!ReferenceEquals(server, exclude) && server.IsUsable && server.HasFreeSlot)
            {
                position = index;
                return server;
            }
            index++;
        }
        position = -1;
        return null;
    }

    private void Rebuild(ReadOnlySpan<ServerState> pool)
    {
        int total = 0;
        foreach (var server in pool) total += SmoothWeightedRotation.WeightOf(server, null, _weight);

        // Allocates only when runtime weights grew the total past every previous size: on a state change,
        // never on the per-pick path.
        if (total > _entries.Length) _entries = new ServerState[total];
        // Likewise when servers were added at runtime.
        if (pool.Length > _scores.Length) _scores = new long[pool.Length];

        Span<long> scores = _scores.AsSpan(0, pool.Length);
        scores.Clear();
        int length = 0;
        for (int i = 0; i < total; i++)
        {
            int chosen = SmoothWeightedRotation.Step(pool, scores, null, _weight);
            if (chosen < 0) break; // a server changed state during the rebuild; the next pick rebuilds
            _entries[length++] = pool[chosen];
        }
        Array.Clear(_entries, length, _entries.Length - length);
        _length = length;
    }
}
