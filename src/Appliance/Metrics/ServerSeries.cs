using Appliance.Balancing;
using Appliance.Engine;
using Appliance.Runtime;
using Prometheus;

namespace Appliance.Metrics;

/// <summary>A server's series, looked up once.</summary>
internal sealed class ServerSeries
{
    private static readonly string[] States = ["UP", "DOWN", "MAINT", "DRAIN", "NOLB"];

    /// <summary>
    /// HAProxy's check statuses that its exporter lists (those that are a verdict), in its order; the
    /// checks here produce L4OK, L4TOUT, L4CON, L7OK, L7STS, L7RSP, L7TOUT and SOCKERR.
    /// </summary>
    private static readonly string[] CheckStates =
        ["HANA", "SOCKERR", "L4OK", "L4TOUT", "L4CON", "L6OK", "L6TOUT", "L6RSP", "L7TOUT", "L7RSP", "L7OK", "L7OKC", "L7STS", "PROCERR", "PROCTOUT", "PROCOK"];

    private readonly int _backend;
    private readonly string _backendName;
    private readonly Gauge.Child[] _status;
    private readonly Gauge.Child _current, _weight, _currentQueue, _maxQueue;
    private readonly Counter.Child _sessions, _bytesIn, _bytesOut, _connectionErrors, _responseErrors;
    private readonly Counter.Child[] _responses = [];
    private readonly Counter.Child? _checkFailures, _checkUpDown;
    private readonly Gauge.Child[] _checkStatus = [];
    private readonly Gauge.Child? _checkCode, _checkDuration;

    public ServerSeries(MetricFamilies families, int backend, string proxy, bool http, ServerState server)
    {
        _backend = backend;
        _backendName = proxy;
        Server = server;
        string name = server.Name;
        _status = [.. States.Select(state => families.SvStatus.WithLabels(proxy, name, state))];
        _current = families.SvCurrent.WithLabels(proxy, name);
        _sessions = families.SvSessions.WithLabels(proxy, name);
        _bytesIn = families.SvBytesIn.WithLabels(proxy, name);
        _bytesOut = families.SvBytesOut.WithLabels(proxy, name);
        _currentQueue = families.SvCurrentQueue.WithLabels(proxy, name);
        _maxQueue = families.SvMaxQueue.WithLabels(proxy, name);
        _weight = families.SvWeight.WithLabels(proxy, name);
        _connectionErrors = families.SvConnectionErrors.WithLabels(proxy, name);
        _responseErrors = families.SvResponseErrors.WithLabels(proxy, name);
        if (http) _responses = [.. MetricFamilies.CodeClasses.Select(code => families.SvResponses.WithLabels(proxy, name, code))];
        if (!server.Config.Check) return;
        _checkFailures = families.SvCheckFailures.WithLabels(proxy, name);
        _checkUpDown = families.SvCheckUpDown.WithLabels(proxy, name);
        _checkStatus = [.. CheckStates.Select(state => families.SvCheckStatus.WithLabels(proxy, name, state))];
        _checkCode = families.SvCheckCode.WithLabels(proxy, name);
        _checkDuration = families.SvCheckDuration.WithLabels(proxy, name);
    }

    public ServerState Server { get; }

    /// <summary>Takes this server's series out of the registry (the server was deleted at runtime).</summary>
    public void Remove()
    {
        foreach (Gauge.Child status in _status) status.Remove();
        foreach (Counter.Child response in _responses) response.Remove();
        foreach (Gauge.Child check in _checkStatus) check.Remove();
        _current.Remove();
        _weight.Remove();
        _currentQueue.Remove();
        _maxQueue.Remove();
        _sessions.Remove();
        _bytesIn.Remove();
        _bytesOut.Remove();
        _connectionErrors.Remove();
        _responseErrors.Remove();
        _checkFailures?.Remove();
        _checkUpDown?.Remove();
        _checkCode?.Remove();
        _checkDuration?.Remove();
    }

    public void Fill(Worker worker, CounterSnapshot baseline)
    {
        ServerState server = Server;
        long[]? carried = baseline.ServerStats.Count > 0 ? baseline.ServerSlots(_backendName + "/" + server.Name) : null;
        long Stat(int slot) => Worker.ServerStat(server, slot) + (carried is not null && slot < carried.Length ? carried[slot] : 0);
        string state = MetricsExporter.ServerState(server);
        for (int i = 0; i < _status.Length; i++) _status[i].Set(States[i] == state ? 1 : 0);
        _current.Set(server.ActiveConnections);
        _sessions.IncTo(server.TotalConnections + baseline.Server(_backendName, server.Name));
        _bytesIn.IncTo(Stat(ProxyCounters.ServerBytesIn));
        _bytesOut.IncTo(Stat(ProxyCounters.ServerBytesOut));
        _currentQueue.Set(0);
        _maxQueue.Set(0);
        _weight.Set(server.Weight);
        _connectionErrors.IncTo(Stat(ProxyCounters.ServerConnectErrors));
        _responseErrors.IncTo(Stat(ProxyCounters.ServerResponseErrors));
        for (int i = 0; i < _responses.Length; i++) _responses[i].IncTo(Stat(ProxyCounters.ServerResponses + i));
        if (_checkFailures is null) return;
        _checkFailures.IncTo(server.CheckFailures);
        _checkUpDown!.IncTo(server.DownTransitions);
        CheckReport? check = server.LastCheck;
        for (int i = 0; i < _checkStatus.Length; i++) _checkStatus[i].Set(check?.Status == CheckStates[i] ? 1 : 0);
        _checkCode!.Set(check?.Code ?? 0);
        _checkDuration!.Set(check is null ? 0 : check.Duration.TotalSeconds);
    }
}
