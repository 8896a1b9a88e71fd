using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Appliance.Balancing;
using Appliance.Engine;
using Appliance.Forwarding;
using Appliance.Runtime;

namespace Appliance.Metrics;

/// <summary>
/// The latency histograms (beyond HAProxy's exporter, which has only averages), written as
/// Prometheus text: per server from its shards' bucket slots, per backend as the merge of its
/// servers'. <c>response_time</c> runs from the complete request head to the response head (queue
/// and connect included; HTTP only), <c>total_time</c> to the end of the response (HTTP) or from the
/// accept to the close (TCP). prometheus-net's histograms only take single observations, so these
/// are written here, straight into bytes with label texts prepared once. Scrape thread only.
/// </summary>
internal sealed class LatencyHistograms
{
    private readonly string _prefix;
    private readonly Worker _worker;
    private readonly long[] _sum = new long[LatencyBuckets.Slots];
    private readonly long[] _one = new long[LatencyBuckets.Slots];
    /// <summary><c>proxy="…"</c> per backend and <c>proxy="…",server="…"</c> per server, escaped, as bytes.</summary>
    private readonly byte[][] _backendLabels;
    /// <summary>Per server, built on first use: servers come and go at runtime (weak keys let deleted ones go).</summary>
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<ServerState, byte[]> _serverLabels = new();
    private static readonly byte[][] LeLabels = [.. LatencyBuckets.UpperBoundLabels.Select(le => Encoding.ASCII.GetBytes(",le=\"" + le + "\"} "))];

    public LatencyHistograms(string prefix, Worker worker)
    {
        _prefix = prefix;
        _worker = worker;
        _backendLabels = [.. worker.Backends.Select(b => Encoding.UTF8.GetBytes($"proxy=\"{Escape(b.Name)}\""))];
    }

    public void WriteBackends(IBufferWriter<byte> output, CounterSnapshot baseline)
    {
        WriteFamily(output, baseline, "backend_response_time_seconds", ProxyCounters.ServerResponseTime, perServer: false,
            "Time from a complete request head to the response head, per backend");
        WriteFamily(output, baseline, "backend_total_time_seconds", ProxyCounters.ServerTotalTime, perServer: false,
            "Time from a complete request head to the end of the response (TCP: the whole connection), per backend");
    }

    public void WriteServers(IBufferWriter<byte> output, CounterSnapshot baseline)
    {
        WriteFamily(output, baseline, "server_response_time_seconds", ProxyCounters.ServerResponseTime, perServer: true,
            "Time from a complete request head to the response head, per server");
        WriteFamily(output, baseline, "server_total_time_seconds", ProxyCounters.ServerTotalTime, perServer: true,
            "Time from a complete request head to the end of the response (TCP: the whole connection), per server");
    }

    private void WriteFamily(IBufferWriter<byte> output, CounterSnapshot baseline, string family, int histogram, bool perServer, string help)
    {
        bool responseTime = histogram == ProxyCounters.ServerResponseTime;
        byte[] name = Encoding.ASCII.GetBytes(_prefix + family);
        bool any = false;
        foreach (Backend backend in _worker.Backends)
        {
            // A TCP backend has no response head to time.
            if (responseTime && backend.State.Config.Mode != Config.Model.ProxyMode.Http) continue;
            if (!any)
            {
                Ascii(output, $"# HELP {_prefix}{family} {help}\n# TYPE {_prefix}{family} histogram\n");
                any = true;
            }
            // One version of the server list; a backend's histogram keeps its deleted servers' observations.
            ServerSet servers = backend.State.Current;
            long[]? retired = baseline.ServerStats.Count > 0 ? baseline.ServerSlots(CounterSnapshot.RetiredKey(backend.Name)) : null;
            for (int i = 0; i < _sum.Length; i++)
            {
                int slot = histogram + i;
                _sum[i] = servers.RetiredStatistic(slot) + (retired is not null && slot < retired.Length ? retired[slot] : 0);
            }
            foreach (ServerState server in servers.All)
            {
                Read(baseline, backend, server, histogram, _one);
                if (perServer) WriteSeries(output, name, ServerLabels(backend, server), _one);
                else for (int i = 0; i < _sum.Length; i++) _sum[i] += _one[i];
            }
            if (!perServer) WriteSeries(output, name, _backendLabels[backend.Index], _sum);
        }
    }

    private byte[] ServerLabels(Backend backend, ServerState server) =>
        _serverLabels.GetValue(server, s => Encoding.UTF8.GetBytes($"proxy=\"{Escape(backend.Name)}\",server=\"{Escape(s.Name)}\""));

    private void Read(CounterSnapshot baseline, Backend backend, ServerState server, int histogram, long[] into)
    {
        long[]? carried = baseline.ServerStats.Count > 0 ? baseline.ServerSlots(backend.Name + "/" + server.Name) : null;
        for (int i = 0; i < into.Length; i++)
        {
            int slot = histogram + i;
            into[i] = Worker.ServerStat(server, slot) + (carried is not null && slot < carried.Length ? carried[slot] : 0);
        }
    }

    private static void WriteSeries(IBufferWriter<byte> output, byte[] name, byte[] labels, long[] slots)
    {
        long cumulative = 0;
        for (int bucket = 0; bucket < LatencyBuckets.BucketCount; bucket++)
        {
            cumulative += slots[bucket];
            output.Write(name);
            output.Write("_bucket{"u8);
            output.Write(labels);
            output.Write(LeLabels[bucket]);
            Number(output, cumulative);
        }
        output.Write(name);
        output.Write("_sum{"u8);
        output.Write(labels);
        output.Write("} "u8);
        Span<byte> span = output.GetSpan(32);
        Utf8Formatter.TryFormat(slots[LatencyBuckets.SumSlot] / 1_000_000.0, span, out int written);
        output.Advance(written);
        output.Write("\n"u8);
        output.Write(name);
        output.Write("_count{"u8);
        output.Write(labels);
        output.Write("} "u8);
        Number(output, cumulative);
    }

    /// <summary>A number and the line feed.</summary>
    private static void Number(IBufferWriter<byte> output, long value)
    {
        Span<byte> span = output.GetSpan(24);
        Utf8Formatter.TryFormat(value, span, out int written);
        span[written] = (byte)'\n';
        output.Advance(written + 1);
    }

    private static void Ascii(IBufferWriter<byte> output, string text) => output.Write(Encoding.UTF8.GetBytes(text));

    /// <summary>Label value escaping of the text format: backslash, double quote, line feed.</summary>
    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
