using Appliance.Balancing;
using Appliance.Engine;
using Appliance.Forwarding;
using Appliance.Runtime;

namespace Appliance.Metrics;

/// <summary>
/// The server series of one backend, following servers added or deleted at runtime: a scrape that
/// finds a new <see cref="ServerSet"/> creates series for new servers and removes the series of
/// deleted ones from the registry (a scrape no longer shows them). Scrape time only.
/// </summary>
internal sealed class BackendServerSeries
{
    private readonly MetricFamilies _families;
    private readonly Backend _backend;
    private readonly bool _http;
    private ServerSet _seriesFor;
    private ServerSeries[] _servers;

    public BackendServerSeries(MetricFamilies families, Backend backend)
    {
        _families = families;
        _backend = backend;
        _http = backend.State.Config.Mode == Config.Model.ProxyMode.Http;
        _seriesFor = backend.State.Current;
        _servers = [.. _seriesFor.All.Select(Create)];
    }

    public void Fill(Worker worker, CounterSnapshot baseline)
    {
        FollowServerChanges();
        foreach (ServerSeries series in _servers) series.Fill(worker, baseline);
    }

    private void FollowServerChanges()
    {
        ServerSet current = _backend.State.Current;
        if (ReferenceEquals(current, _seriesFor)) return;
        // Deleted ones first: a server deleted and added again under the same name gets fresh series.
        foreach (ServerSeries series in _servers)
        {
            if (!current.All.Contains(series.Server)) series.Remove();
        }
        _servers = [.. current.All.Select(server => Array.Find(_servers, s => ReferenceEquals(s.Server, server)) ?? Create(server))];
        _seriesFor = current;
    }

    private ServerSeries Create(ServerState server) => new(_families, _backend.Index, _backend.Name, _http, server);
}
