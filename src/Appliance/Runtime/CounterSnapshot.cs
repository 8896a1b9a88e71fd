using Appliance.Balancing;
using Appliance.Engine;

namespace Appliance.Runtime;

/// <summary>
/// Cumulative counters of one worker generation (or a sum of several), detached from the shards: what
/// the master keeps of generations that ended or are draining, so that counters read through the
/// runtime API never go backwards across reloads and worker restarts. Current values (current
/// connections) are not cumulative and are not part of it.
/// </summary>
internal sealed class CounterSnapshot
{
    /// <summary>The cumulative shard counters, in a fixed order (also the wire order).</summary>
    public static readonly (string Name, Func<ShardCounters, long> Read)[] Fields =
    [
        ("accepted", c => c.Accepted),
        ("spliced_bytes", c => c.SplicedBytes),
        ("connect_retries", c => c.ConnectRetries),
        ("redispatches", c => c.Redispatches),
        ("connect_failures", c => c.ConnectFailures),
        ("no_server", c => c.NoServer),
        ("accept_errors", c => c.AcceptErrors),
        ("connection_reuses", c => c.ConnectionReuses),
        ("http_requests", c => c.HttpRequests),
        ("http_request_errors", c => c.HttpRequestErrors),
        ("http_response_errors", c => c.HttpResponseErrors),
        ("http_proxy_answers", c => c.HttpProxyAnswers),
        ("http_1xx", c => c.HttpResponses1xx),
        ("http_2xx", c => c.HttpResponses2xx),
        ("http_3xx", c => c.HttpResponses3xx),
        ("http_4xx", c => c.HttpResponses4xx),
        ("http_5xx", c => c.HttpResponses5xx),
        ("http_other", c => c.HttpResponsesOther),
        ("dropped_logs", c => c.DroppedLogs),
    ];

    public CounterSnapshot()
    {
        Values = new long[Fields.Length];
    }

    public static CounterSnapshot Empty { get; } = new();

    /// <summary>Indexed like <see cref="Fields"/>.</summary>
    public long[] Values { get; }

    /// <summary>Connections ever opened to a server (HAProxy's <c>stot</c>), by "backend/server".</summary>
    public Dictionary<string, long> Servers { get; } = new(StringComparer.Ordinal);

    /// <summary>Connections a frontend ever accepted, by frontend name.</summary>
    public Dictionary<string, long> Frontends { get; } = new(StringComparer.Ordinal);

    public long this[string name] => Values[IndexOf(name)];

    public static int IndexOf(string name)
    {
        for (int i = 0; i < Fields.Length; i++)
        {
            if (Fields[i].Name == name) return i;
        }
        throw new ArgumentOutOfRangeException(nameof(name), name, "no such counter");
    }

    /// <summary>
    /// A frontend's HTTP counters by "frontend/slot" (slots as <see cref="Shard.FrontendHttpSlots"/>:
    /// requests, then responses 1xx..5xx, other).
    /// </summary>
    public Dictionary<string, long> FrontendHttp { get; } = new(StringComparer.Ordinal);

    /// <summary>A backend's counters by "backend/slot" (slots as <see cref="Shard.BackendSlots"/>).</summary>
    public Dictionary<string, long> BackendCounts { get; } = new(StringComparer.Ordinal);

    /// <summary>A frontend's <see cref="ProxyCounters"/> slots (bytes, errors, denials), by frontend name.</summary>
    public Dictionary<string, long[]> FrontendStats { get; } = new(StringComparer.Ordinal);

    /// <summary>A backend's cumulative <see cref="ProxyCounters"/> slots (bytes), by backend name.</summary>
    public Dictionary<string, long[]> BackendStats { get; } = new(StringComparer.Ordinal);

    /// <summary>A server's <see cref="ProxyCounters"/> slots (bytes, errors, latency histograms), by "backend/server".</summary>
    public Dictionary<string, long[]> ServerStats { get; } = new(StringComparer.Ordinal);

    public long FrontendStat(string frontend, int slot) => Slot(FrontendStats, frontend, slot);

    public long BackendStat(string backend, int slot) => slot < ProxyCounters.BackendCumulativeSlots ? Slot(BackendStats, backend, slot) : 0;

    public long ServerStat(string backend, string server, int slot) => Slot(ServerStats, backend + "/" + server, slot);

    /// <summary>A server's carried slots by its "backend/server" key (one lookup for many slots); null when none.</summary>
    public long[]? ServerSlots(string key) => ServerStats.GetValueOrDefault(key);

    private static long Slot(Dictionary<string, long[]> map, string key, int slot) =>
        map.TryGetValue(key, out long[]? values) && slot < values.Length ? values[slot] : 0;

    public long BackendCount(string backend, int slot) => BackendCounts.GetValueOrDefault(FrontendHttpKey(backend, slot));

    public long FrontendHttpCount(string frontend, int slot) => FrontendHttp.GetValueOrDefault(FrontendHttpKey(frontend, slot));

    public static string FrontendHttpKey(string frontend, int slot) => frontend + "/" + slot.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public long Server(string backend, string server) => Servers.GetValueOrDefault(backend + "/" + server);

    public long Frontend(string name) => Frontends.GetValueOrDefault(name);

    /// <summary>
    /// Where the counts of a backend's servers deleted at runtime are kept (<see cref="ServerSet.RetiredStatistics"/>):
    /// the server key with an empty server name, which no real server has.
    /// </summary>
    public static string RetiredKey(string backend) => backend + "/";

    /// <summary>Connections of <paramref name="backend"/>'s servers deleted in earlier generations.</summary>
    public long RetiredServers(string backend) => Server(backend, "");

    /// <summary>A statistics slot of <paramref name="backend"/>'s servers deleted in earlier generations.</summary>
    public long RetiredServerStat(string backend, int slot) => ServerStat(backend, "", slot);

    /// <summary>Reads a running worker's counters (volatile reads; the shards keep writing).</summary>
    public static CounterSnapshot Capture(Worker worker)
    {
        var snapshot = new CounterSnapshot();
        for (int i = 0; i < Fields.Length; i++)
        {
            Func<ShardCounters, long> read = Fields[i].Read;
            snapshot.Values[i] = worker.Sum(read);
        }
        foreach (var backend in worker.Backends)
        {
            foreach (var server in backend.State.Servers)
            {
                snapshot.Servers[backend.Name + "/" + server.Name] = server.TotalConnections;
            }
        }
        // Servers deleted at runtime, under the backend's RetiredKey, so the backend's totals keep them.
        foreach (var backend in worker.Backends)
        {
            ServerSet set = backend.State.Current;
            if (set.RetiredConnections == 0 && Array.TrueForAll(set.RetiredStatistics, v => v == 0)) continue;
            snapshot.Servers[RetiredKey(backend.Name)] = set.RetiredConnections;
            snapshot.ServerStats[RetiredKey(backend.Name)] = (long[])set.RetiredStatistics.Clone();
        }
        foreach (var backend in worker.Backends)
        {
            for (int slot = 0; slot < Shard.BackendSlots; slot++)
            {
                snapshot.BackendCounts[FrontendHttpKey(backend.Name, slot)] = worker.BackendCount(backend.Index, slot);
            }
        }
        foreach (var backend in worker.Backends)
        {
            var values = new long[ProxyCounters.BackendCumulativeSlots];
            for (int slot = 0; slot < values.Length; slot++) values[slot] = worker.BackendStat(backend.Index, slot);
            snapshot.BackendStats[backend.Name] = values;
            foreach (var server in backend.State.Servers)
            {
                var slots = new long[ProxyCounters.ServerSlots];
                for (int slot = 0; slot < slots.Length; slot++) slots[slot] = Worker.ServerStat(server, slot);
                snapshot.ServerStats[backend.Name + "/" + server.Name] = slots;
            }
        }
        foreach (var frontend in worker.Frontends)
        {
            var values = new long[ProxyCounters.FrontendSlots];
            for (int slot = 0; slot < values.Length; slot++) values[slot] = worker.FrontendStat(frontend.Index, slot);
            snapshot.FrontendStats[frontend.Name] = values;
            snapshot.Frontends[frontend.Name] = worker.FrontendAccepted(frontend.Index);
            if (frontend.Config.Mode != Config.Model.ProxyMode.Http) continue;
            for (int slot = 0; slot < Shard.FrontendHttpSlots; slot++)
            {
                snapshot.FrontendHttp[FrontendHttpKey(frontend.Name, slot)] = worker.FrontendHttp(frontend.Index, slot);
            }
        }
        return snapshot;
    }

    /// <summary>The sum of several snapshots (key by key).</summary>
    public static CounterSnapshot Sum(IEnumerable<CounterSnapshot> snapshots)
    {
        var total = new CounterSnapshot();
        foreach (CounterSnapshot snapshot in snapshots)
        {
            for (int i = 0; i < total.Values.Length; i++) total.Values[i] += snapshot.Values[i];
            foreach (var (key, value) in snapshot.Servers) total.Servers[key] = total.Servers.GetValueOrDefault(key) + value;
            foreach (var (key, value) in snapshot.Frontends) total.Frontends[key] = total.Frontends.GetValueOrDefault(key) + value;
            foreach (var (key, value) in snapshot.FrontendHttp) total.FrontendHttp[key] = total.FrontendHttp.GetValueOrDefault(key) + value;
            foreach (var (key, value) in snapshot.BackendCounts) total.BackendCounts[key] = total.BackendCounts.GetValueOrDefault(key) + value;
            AddSlots(total.FrontendStats, snapshot.FrontendStats);
            AddSlots(total.BackendStats, snapshot.BackendStats);
            AddSlots(total.ServerStats, snapshot.ServerStats);
        }
        return total;
    }

    private static void AddSlots(Dictionary<string, long[]> total, Dictionary<string, long[]> add)
    {
        foreach (var (key, values) in add)
        {
            long[] sum = total.TryGetValue(key, out long[]? existing) && existing.Length >= values.Length ? existing : Grow(existing, values.Length);
            for (int i = 0; i < values.Length; i++) sum[i] += values[i];
            total[key] = sum;
        }
    }

    private static long[] Grow(long[]? values, int length)
    {
        var grown = new long[length];
        values?.CopyTo(grown, 0);
        return grown;
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(Values.Length);
        foreach (long value in Values) writer.Write(value);
        WriteMap(writer, Servers);
        WriteMap(writer, Frontends);
        WriteMap(writer, FrontendHttp);
        WriteMap(writer, BackendCounts);
        WriteSlots(writer, FrontendStats);
        WriteSlots(writer, BackendStats);
        WriteSlots(writer, ServerStats);
    }

    public static CounterSnapshot Read(BinaryReader reader)
    {
        var snapshot = new CounterSnapshot();
        int count = reader.ReadInt32();
        for (int i = 0; i < count; i++)
        {
            long value = reader.ReadInt64();
            if (i < snapshot.Values.Length) snapshot.Values[i] = value;
        }
        ReadMap(reader, snapshot.Servers);
        ReadMap(reader, snapshot.Frontends);
        // Last in every message that carries a snapshot; absent when an older binary wrote it.
        if (reader.BaseStream.Position < reader.BaseStream.Length) ReadMap(reader, snapshot.FrontendHttp);
        if (reader.BaseStream.Position < reader.BaseStream.Length) ReadMap(reader, snapshot.BackendCounts);
        if (reader.BaseStream.Position < reader.BaseStream.Length) ReadSlots(reader, snapshot.FrontendStats);
        if (reader.BaseStream.Position < reader.BaseStream.Length) ReadSlots(reader, snapshot.BackendStats);
        if (reader.BaseStream.Position < reader.BaseStream.Length) ReadSlots(reader, snapshot.ServerStats);
        return snapshot;
    }

    private static void WriteMap(BinaryWriter writer, Dictionary<string, long> map)
    {
        writer.Write(map.Count);
        foreach (var (key, value) in map)
        {
            writer.Write(key);
            writer.Write(value);
        }
    }

    private static void WriteSlots(BinaryWriter writer, Dictionary<string, long[]> map)
    {
        writer.Write(map.Count);
        foreach (var (key, values) in map)
        {
            writer.Write(key);
            writer.Write(values.Length);
            foreach (long value in values) writer.Write(value);
        }
    }

    private static void ReadSlots(BinaryReader reader, Dictionary<string, long[]> map)
    {
        int count = reader.ReadInt32();
        for (int i = 0; i < count; i++)
        {
            string key = reader.ReadString();
            var values = new long[reader.ReadInt32()];
            for (int j = 0; j < values.Length; j++) values[j] = reader.ReadInt64();
            map[key] = values;
        }
    }

    private static void ReadMap(BinaryReader reader, Dictionary<string, long> map)
    {
        int count = reader.ReadInt32();
        for (int i = 0; i < count; i++) map[reader.ReadString()] = reader.ReadInt64();
    }
}
