using Appliance.Balancing;
using Appliance.Engine;
using Appliance.Forwarding;
using Appliance.Runtime;
using Prometheus;

namespace Appliance.Metrics;

/// <summary>A backend's series, looked up once; its servers' sums are read from the server states and counters.</summary>
internal sealed class BackendSeries
{
    private static readonly string[] States = ["UP", "DOWN"];

    private readonly Backend _backend;
    private readonly Gauge.Child _current, _active, _backup, _weight, _currentQueue, _maxQueue;
    private readonly Counter.Child _sessions, _bytesIn, _bytesOut, _responseErrors;
    private readonly Counter.Child[] _counts;
    private readonly Counter.Child? _requests;
    private readonly Counter.Child[] _responses = [];
    private readonly Gauge.Child[] _status;

    public BackendSeries(MetricFamilies families, Backend backend)
    {
        _backend = backend;
        string proxy = backend.Name;
        _current = families.BeCurrent.WithLabels(proxy);
        _sessions = families.BeSessions.WithLabels(proxy);
        _bytesIn = families.BeBytesIn.WithLabels(proxy);
        _bytesOut = families.BeBytesOut.WithLabels(proxy);
        _currentQueue = families.BeCurrentQueue.WithLabels(proxy);
        _maxQueue = families.BeMaxQueue.WithLabels(proxy);
        _responseErrors = families.BeResponseErrors.WithLabels(proxy);
        _active = families.BeActive.WithLabels(proxy);
        _backup = families.BeBackup.WithLabels(proxy);
        _weight = families.BeWeight.WithLabels(proxy);
        _status = [.. States.Select(state => families.BeStatus.WithLabels(proxy, state))];
        bool http = backend.State.Config.Mode == Config.Model.ProxyMode.Http;
        // Slots as Shard.BackendSlots; connections are only reused in HTTP mode.
        _counts = http
            ? [families.BeConnectionErrors.WithLabels(proxy), families.BeRetries.WithLabels(proxy), families.BeRedispatches.WithLabels(proxy), families.BeReuses.WithLabels(proxy)]
            : [families.BeConnectionErrors.WithLabels(proxy), families.BeRetries.WithLabels(proxy), families.BeRedispatches.WithLabels(proxy)];
        if (!http) return;
        _requests = families.BeRequests.WithLabels(proxy);
        _responses = [.. MetricFamilies.CodeClasses.Select(code => families.BeResponses.WithLabels(proxy, code))];
    }

    public void Fill(Worker worker, CounterSnapshot baseline)
    {
        int index = _backend.Index;
        string name = _backend.Name;
        long Stat(int slot) => worker.BackendStat(index, slot) + baseline.BackendStat(name, slot);
        for (int slot = 0; slot < _counts.Length; slot++)
        {
            _counts[slot].IncTo(worker.BackendCount(index, slot) + baseline.BackendCount(name, slot));
        }
        // One version of the server list: deleted servers' counts are in its retired totals.
        ServerSet servers = _backend.State.Current;
        long current = 0, total = servers.RetiredConnections + baseline.RetiredServers(name);
        long responseErrors = servers.RetiredStatistic(ProxyCounters.ServerResponseErrors)
                              + baseline.RetiredServerStat(name, ProxyCounters.ServerResponseErrors);
        int active = 0, backup = 0, weight = 0;
        foreach (ServerState server in servers.All)
        {
            current += server.ActiveConnections;
            total += server.TotalConnections + baseline.Server(name, server.Name);
            responseErrors += Worker.ServerStat(server, ProxyCounters.ServerResponseErrors)
                              + baseline.ServerStat(name, server.Name, ProxyCounters.ServerResponseErrors);
            if (!server.IsUsable) continue;
            if (server.IsBackup) backup++;
            else
            {
                active++;
                weight += server.Weight;
            }
        }
        _current.Set(current);
        _sessions.IncTo(total);
        _bytesIn.IncTo(Stat(ProxyCounters.BackendBytesIn));
        _bytesOut.IncTo(Stat(ProxyCounters.BackendBytesOut));
        _currentQueue.Set(worker.BackendStat(index, ProxyCounters.BackendQueueCurrent));
        _maxQueue.Set(worker.Backends[index].State.QueuePeak);
        _responseErrors.IncTo(responseErrors);
        _requests?.IncTo(Stat(ProxyCounters.BackendHttpRequests));
        for (int i = 0; i < _responses.Length; i++) _responses[i].IncTo(Stat(ProxyCounters.BackendResponses + i));
        _active.Set(active);
        _backup.Set(backup);
        _weight.Set(weight);
        bool up = active + backup > 0;
        _status[0].Set(up ? 1 : 0);
        _status[1].Set(up ? 0 : 1);
    }
}
