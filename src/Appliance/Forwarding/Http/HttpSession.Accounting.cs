using Appliance.Balancing;
using Appliance.Config.Model;
using Appliance.Engine;
using Appliance.Http;
using Appliance.Logging;
using Appliance.Native;
using Appliance.Routing;
using Appliance.Rules;
using static Appliance.Native.LinuxConstants;

namespace Appliance.Forwarding.Http;

/// <summary>Counters, histograms and activity times of the exchange (shard-local, no allocation).</summary>
internal sealed partial class HttpSession
{
    /// <summary>A request that could not be parsed or relayed (HAProxy's <c>ereq</c>).</summary>
    private void CountRequestError()
    {
        _shard.Counters.HttpRequestErrors++;
        _shard.Proxies.AddFrontend(_frontend.Index, ProxyCounters.FrontendRequestErrors, 1);
    }

    /// <summary>A server's response that was invalid or cut short (HAProxy's <c>eresp</c>, per server; the backend's is their sum).</summary>
    private void CountResponseError()
    {
        _shard.Counters.HttpResponseErrors++;
        if (_server is { } server) _shard.Proxies.AddServer(server, ProxyCounters.ServerResponseErrors, 1);
    }

    /// <summary>
    /// Bytes received from the client (in) and sent to it (out) since the last call, for the frontend,
    /// the routed backend and, while a server serves the request, that server.
    /// </summary>
    private void CountTraffic()
    {
        if (_exchange is null) return; // idle: the relays' counts were taken when the state was given back
        _request.TakeTraffic(out long bytesIn, out _);
        _response.TakeTraffic(out _, out long bytesOut);
        if ((bytesIn | bytesOut) == 0) return;
        ProxyCounters proxies = _shard.Proxies;
        proxies.AddFrontend(_frontend.Index, ProxyCounters.FrontendBytesIn, bytesIn);
        proxies.AddFrontend(_frontend.Index, ProxyCounters.FrontendBytesOut, bytesOut);
        if (_backend is not { } backend) return;
        proxies.AddBackend(backend.Index, ProxyCounters.BackendBytesIn, bytesIn);
        proxies.AddBackend(backend.Index, ProxyCounters.BackendBytesOut, bytesOut);
        if (!_serverCounted) return;
        proxies.AddServer(_server!, ProxyCounters.ServerBytesIn, bytesIn);
        proxies.AddServer(_server!, ProxyCounters.ServerBytesOut, bytesOut);
    }

    /// <summary>One observation since the request head was complete, in the serving server's histogram.</summary>
    private void RecordLatency(int histogram)
    {
        if (_server is not { } server) return;
        _shard.Proxies.RecordLatency(server, histogram,
            Metrics.LatencyBuckets.Micros(_requestHeadAt, System.Diagnostics.Stopwatch.GetTimestamp()));
    }

    private void CountResponse(int status)
    {
        ref ShardCounters counters = ref _shard.Counters;
        _shard.CountFrontendResponse(_frontend.Index, status);
        if (_backend is { } backend)
        {
            int kind = ProxyCounters.ResponseClass(status);
            _shard.Proxies.AddBackend(backend.Index, ProxyCounters.BackendResponses + kind, 1);
            if (_serverCounted) _shard.Proxies.AddServer(_server!, ProxyCounters.ServerResponses + kind, 1);
        }
        switch (status / 100)
        {
            case 1: counters.HttpResponses1xx++; break;
            case 2: counters.HttpResponses2xx++; break;
            case 3: counters.HttpResponses3xx++; break;
            case 4: counters.HttpResponses4xx++; break;
            case 5: counters.HttpResponses5xx++; break;
            default: counters.HttpResponsesOther++; break;
        }
    }

    private void Touch(PumpActivity activity, bool clientIsSource)
    {
        if (activity == PumpActivity.None) return;
        if ((activity & PumpActivity.Read) != 0)
        {
            if (clientIsSource) _clientActive = _shard.Now;
            else _serverActive = _shard.Now;
        }
        if ((activity & PumpActivity.Wrote) != 0)
        {
            if (clientIsSource) _serverActive = _shard.Now;
            else _clientActive = _shard.Now;
        }
    }

    /// <summary>Adds the body bytes the relays spliced to the shard's spliced-bytes counter.</summary>
    private void CountSplicedBytes()
    {
        if (_exchange is not null) _shard.Counters.SplicedBytes += _request.TakeSplicedBytes() + _response.TakeSplicedBytes();
    }
}
