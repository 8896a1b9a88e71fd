using Appliance.Engine;
using Appliance.Forwarding;
using Appliance.Runtime;
using Prometheus;

namespace Appliance.Metrics;

/// <summary>A frontend's series, looked up once: a scrape only sets values.</summary>
internal sealed class FrontendSeries
{
    private readonly Frontend _frontend;
    private readonly Gauge.Child _current;
    private readonly Counter.Child _sessions, _bytesIn, _bytesOut, _requestErrors, _denied;
    private readonly Counter.Child? _requests;
    private readonly Counter.Child[] _responses = [];

    public FrontendSeries(MetricFamilies families, Frontend frontend)
    {
        _frontend = frontend;
        string name = frontend.Name;
        _current = families.FeCurrent.WithLabels(name);
        _sessions = families.FeSessions.WithLabels(name);
        _bytesIn = families.FeBytesIn.WithLabels(name);
        _bytesOut = families.FeBytesOut.WithLabels(name);
        _requestErrors = families.FeRequestErrors.WithLabels(name);
        _denied = families.FeDenied.WithLabels(name);
        if (frontend.Config.Mode != Config.Model.ProxyMode.Http) return;
        _requests = families.FeRequests.WithLabels(name);
        _responses = [.. MetricFamilies.CodeClasses.Select(code => families.FeResponses.WithLabels(name, code))];
    }

    public void Fill(Worker worker, CounterSnapshot baseline)
    {
        int index = _frontend.Index;
        string name = _frontend.Name;
        long Stat(int slot) => worker.FrontendStat(index, slot) + baseline.FrontendStat(name, slot);
        _current.Set(worker.FrontendCurrent(index));
        _sessions.IncTo(worker.FrontendAccepted(index) + baseline.Frontend(name));
        _bytesIn.IncTo(Stat(ProxyCounters.FrontendBytesIn));
        _bytesOut.IncTo(Stat(ProxyCounters.FrontendBytesOut));
        _requestErrors.IncTo(Stat(ProxyCounters.FrontendRequestErrors));
        _denied.IncTo(Stat(ProxyCounters.FrontendDenied));
        _requests?.IncTo(worker.FrontendHttp(index, 0) + baseline.FrontendHttpCount(name, 0));
        for (int i = 0; i < _responses.Length; i++)
        {
            _responses[i].IncTo(worker.FrontendHttp(index, i + 1) + baseline.FrontendHttpCount(name, i + 1));
        }
    }
}
