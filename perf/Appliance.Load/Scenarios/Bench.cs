using System.Net;
using System.Text;
using Appliance.Load.Client;
using Appliance.Load.Origins;

namespace Appliance.Load.Scenarios;

/// <summary>
/// The test bench on loopback: a run directory, the in-process origins, free ports, and the helpers every
/// scenario uses to start an appliance and run verified load against it.
/// </summary>
internal sealed class Bench(LoadOptions options, string directory) : IDisposable
{
    private readonly LoopbackPorts _ports = new();

    public LoadOptions Options => options;

    public string Directory => directory;

    public HttpOrigin Http { get; } = new();

    public EchoOrigin Echo { get; } = new();

    public TimeSpan Duration => TimeSpan.FromSeconds(options.Seconds);

    public TimeSpan Timeout => TimeSpan.FromSeconds(options.TimeoutSeconds);

    public IPEndPoint FreeEndpoint() => _ports.Next();

    /// <summary>
    /// The global and defaults sections every scenario shares: 2 shards, HTTP mode, bounded timeouts,
    /// retries with redispatch (what an HAProxy user runs), a drain deadline for reloads.
    /// </summary>
    public static StringBuilder ConfigHead(string mode = "http") => new($"""
        global
            nbthread 2
            maxconn 4096
            hard-stop-after 20s

        defaults
            mode {mode}
            timeout connect 2s
            timeout client 30s
            timeout server 30s
            retries 3
            option redispatch


        """);

    public ApplianceUnderTest StartAppliance(string name, string config, IPEndPoint probe, bool probeIsHttp = true) =>
        ApplianceUnderTest.Start(options.AppliancePath, directory, name, config, probe, probeIsHttp);

    /// <summary>HTTP load on <paramref name="connections"/> connections, open model at <paramref name="rate"/> when positive.</summary>
    public Measured RunHttp(string label, IPEndPoint target, IReadOnlyList<RequestPlan> plans, int connections, int rate,
        List<string> notes, Action<SideContext>? side = null, IReadOnlySet<int>? accepted = null)
    {
        var load = new HttpLoad(target, plans, connections, rate, Duration, Timeout, accepted ?? new HashSet<int>());
        return LoadRunner.Run(label, connections, Duration, Timeout,
            (index, start, stats) => new HttpWorker(load, index, start, stats).Run, side, notes);
    }

    /// <summary>The load line of a report: model, connections, rate.</summary>
    public string Describe(int connections, int rate, string what) =>
        rate > 0
            ? $"open model: {rate:N0} req/s over {connections} connections, {what}, {options.Seconds} s"
            : $"closed model: {connections} connections, {what}, {options.Seconds} s";

    /// <summary>The rate of an HTTP scenario: 0 (closed model) unless <c>--open</c>.</summary>
    public int HttpRate => options.Open ? options.Rate : 0;

    public void Dispose()
    {
        Http.Dispose();
        Echo.Dispose();
    }
}
