using System.Globalization;
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
/// are rendered here rather than through its registry. Scrape thread only.
/// </summary>
internal sealed class LatencyHistograms(string prefix)
{
    private readonly long[] _sum = new long[LatencyBuckets.Slots];
    private readonly long[] _one = new long[LatencyBuckets.Slots];

    public void WriteBackends(StringBuilder text, Worker worker, CounterSnapshot baseline)
    {
        WriteFamily(text, worker, baseline, "backend_response_time_seconds", ProxyCounters.ServerResponseTime, perServer: false,
            "Time from a complete request head to the response head, per backend");
        WriteFamily(text, worker, baseline, "backend_total_time_seconds", ProxyCounters.ServerTotalTime, perServer: false,
            "Time from a complete request head to the end of the response (TCP: the whole connection), per backend");
    }

    public void WriteServers(StringBuilder text, Worker worker, CounterSnapshot baseline)
    {
        WriteFamily(text, worker, baseline, "server_response_time_seconds", ProxyCounters.ServerResponseTime, perServer: true,
            "Time from a complete request head to the response head, per server");
        WriteFamily(text, worker, baseline, "server_total_time_seconds", ProxyCounters.ServerTotalTime, perServer: true,
            "Time from a complete request head to the end of the response (TCP: the whole connection), per server");
    }

    private void WriteFamily(StringBuilder text, Worker worker, CounterSnapshot baseline, string family, int histogram, bool perServer, string help)
    {
        bool responseTime = histogram == ProxyCounters.ServerResponseTime;
        string name = prefix + family;
        bool any = false;
        foreach (Backend backend in worker.Backends)
        {
            // A TCP backend has no response head to time.
            if (responseTime && backend.State.Config.Mode != Config.Model.ProxyMode.Http) continue;
            if (!any)
            {
                text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
                text.Append("# TYPE ").Append(name).Append(" histogram\n");
                any = true;
            }
            Array.Clear(_sum);
            foreach (ServerState server in backend.State.Servers)
            {
                Read(worker, baseline, backend, server, histogram, _one);
                if (perServer) WriteSeries(text, name, backend.Name, server.Name, _one);
                else for (int i = 0; i < _sum.Length; i++) _sum[i] += _one[i];
            }
            if (!perServer) WriteSeries(text, name, backend.Name, null, _sum);
        }
    }

    private static void Read(Worker worker, CounterSnapshot baseline, Backend backend, ServerState server, int histogram, long[] into)
    {
        for (int i = 0; i < into.Length; i++)
        {
            into[i] = worker.ServerStat(backend.Index, server.Index, histogram + i) + baseline.ServerStat(backend.Name, server.Name, histogram + i);
        }
    }

    private static void WriteSeries(StringBuilder text, string name, string proxy, string? server, long[] slots)
    {
        long cumulative = 0;
        for (int bucket = 0; bucket < LatencyBuckets.BucketCount; bucket++)
        {
            cumulative += slots[bucket];
            text.Append(name).Append("_bucket{");
            Labels(text, proxy, server);
            text.Append(",le=\"").Append(LatencyBuckets.UpperBoundLabels[bucket]).Append("\"} ").Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        text.Append(name).Append("_sum{");
        Labels(text, proxy, server);
        text.Append("} ").Append((slots[LatencyBuckets.SumSlot] / 1_000_000.0).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        text.Append(name).Append("_count{");
        Labels(text, proxy, server);
        text.Append("} ").Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static void Labels(StringBuilder text, string proxy, string? server)
    {
        text.Append("proxy=\"");
        Escape(text, proxy);
        text.Append('"');
        if (server is null) return;
        text.Append(",server=\"");
        Escape(text, server);
        text.Append('"');
    }

    /// <summary>Label value escaping of the text format: backslash, double quote, line feed.</summary>
    private static void Escape(StringBuilder text, string value)
    {
        foreach (char c in value)
        {
            if (c == '\\') text.Append("\\\\");
            else if (c == '"') text.Append("\\\"");
            else if (c == '\n') text.Append("\\n");
            else text.Append(c);
        }
    }
}
