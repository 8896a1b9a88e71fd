using System.Net;
using Appliance.Load.Client;
using Appliance.Load.Origins;

namespace Appliance.Load.Scenarios;

/// <summary>The scenarios, in the order a full run executes them.</summary>
internal static class Catalog
{
    /// <summary>Services of the routing scenario.</summary>
    public const int RoutedServices = 500;

    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("keepalive", "HTTP keep-alive, 100 B answers", "every answer 200 from b1 or b2 with its exact body; 0 errors", KeepAlive),
        new("keepalive-rate", "HTTP keep-alive at a constant rate (open model)", "as keepalive; latency from the scheduled send time", KeepAliveRate),
        new("close", "HTTP connection per request", "as keepalive, one TCP connection per request; 0 errors", Close),
        new("bulk", "HTTP 1 MiB answers", "every 1 MiB body byte-identical to the origin's; 0 errors", Bulk),
        new("tcp-stream", "Long TCP streams (mode tcp, echo)", "every echoed byte identical, exact length, clean EOF; 0 errors", TcpStream),
        new("routing-500", "Path routing over 500 services", "every answer from the service its path routes to; 0 errors; every service answered", Routing),
        new("reload", "Reloads under keep-alive load", "every appliance reload succeeds; 0 errors", Reload),
        new("backend-kill", "A backend killed under load", "only 200 and accepted 502/503 answers; no hang, no reset; the survivor keeps serving", BackendKill),
    ];

    private static ScenarioResult KeepAlive(Bench bench) => TwoOrigins(bench, "keepalive", "/small", close: false, bench.Options.Connections, bench.HttpRate);

    private static ScenarioResult KeepAliveRate(Bench bench) => TwoOrigins(bench, "keepalive-rate", "/small", close: false, 8, bench.Options.Rate);

    private static ScenarioResult Close(Bench bench) => TwoOrigins(bench, "close", "/small", close: true, bench.Options.Connections, bench.HttpRate);

    private static ScenarioResult Bulk(Bench bench) => TwoOrigins(bench, "bulk", OriginBodies.BulkPath, close: false, 4, bench.HttpRate);

    /// <summary>A frontend balancing over two origins, b1 and b2, with <paramref name="path"/> requested.</summary>
    private static ScenarioResult TwoOrigins(Bench bench, string id, string path, bool close, int connections, int rate)
    {
        var (frontend, config) = TwoOriginConfig(bench, "b1", "b2", "");
        using var appliance = bench.StartAppliance(id, config, frontend);
        var notes = new List<string>();
        Measured m = bench.RunHttp(id, frontend, [new RequestPlan(frontend, path, ["b1", "b2"], close)], connections, rate, notes);
        return Result(id, bench.Describe(connections, rate, $"GET {path}{(close ? " with Connection: close" : "")}"), m, notes, []);
    }

    private static (IPEndPoint Frontend, string Config) TwoOriginConfig(Bench bench, string first, string second, string serverOptions)
    {
        IPEndPoint frontend = bench.FreeEndpoint();
        IPEndPoint a = bench.Http.Add(first), b = bench.Http.Add(second);
        string config = Bench.ConfigHead().Append($"""
            frontend fe
                bind {frontend}
                default_backend be

            backend be
                balance roundrobin
                server {first} {a}{serverOptions}
                server {second} {b}{serverOptions}
            """).ToString();
        return (frontend, config);
    }

    private static ScenarioResult TcpStream(Bench bench)
    {
        IPEndPoint frontend = bench.FreeEndpoint();
        IPEndPoint a = bench.Echo.Add(), b = bench.Echo.Add();
        string config = Bench.ConfigHead("tcp").Append($"""
            frontend fe
                bind {frontend}
                default_backend be

            backend be
                balance roundrobin
                server e1 {a}
                server e2 {b}
            """).ToString();
        using var appliance = bench.StartAppliance("tcp-stream", config, frontend, probeIsHttp: false);
        const int streams = 4;
        long bytes = bench.Options.StreamMiB * 1024L * 1024;
        var notes = new List<string>();
        Measured m = LoadRunner.Run("tcp-stream", streams, bench.Duration, bench.Timeout,
            (index, start, stats) => new StreamWorker(frontend, bytes, bench.Duration, bench.Timeout, index, start, stats).Run, null, notes);
        notes.Add($"{m.Ok} streams of {bench.Options.StreamMiB} MiB each way; latency = time per stream");
        return Result("tcp-stream", $"{streams} concurrent streams of {bench.Options.StreamMiB} MiB echoed, repeated for {bench.Options.Seconds} s (at least one each)", m, notes, []);
    }

    private static ScenarioResult Routing(Bench bench)
    {
        IPEndPoint frontend = bench.FreeEndpoint();
        // default_backend: the readiness probe (GET /) must route somewhere.
        var config = Bench.ConfigHead().Append($"frontend fe\n    bind {frontend}\n    default_backend be_svc0\n");
        var services = Enumerable.Range(0, RoutedServices).Select(i => $"svc{i}").ToList();
        foreach (string s in services) config.Append($"    acl is_{s} path_beg /{s}/\n");
        foreach (string s in services) config.Append($"    use_backend be_{s} if is_{s}\n");
        config.Append('\n');
        foreach (string s in services) config.Append($"backend be_{s}\n    server {s} {bench.Http.Add(s)}\n\n");
        using var appliance = bench.StartAppliance("routing-500", config.ToString(), frontend);
        var plans = services.Select(s => new RequestPlan(frontend, $"/{s}/item", [s], close: false)).ToList();
        var notes = new List<string>();
        long[] before = [.. services.Select(bench.Http.Answered)];
        int rate = bench.HttpRate;
        Measured m = bench.RunHttp("routing-500", frontend, plans, bench.Options.Connections, rate, notes);
        int answered = services.Where((s, i) => bench.Http.Answered(s) > before[i]).Count();
        notes.Add($"{RoutedServices} backends, 500 path_beg ACLs + use_backend rules; {answered} of {RoutedServices} services answered");
        var failures = new List<string>();
        // With ≥ 20 requests per service on average, a service that never answered is a routing bug, not bad luck.
        if (m.Ok >= 20 * RoutedServices && answered < RoutedServices) failures.Add($"only {answered} of {RoutedServices} services answered");
        return Result("routing-500", bench.Describe(bench.Options.Connections, rate, "GET /svcN/item, N random"), m, notes, failures);
    }

    private static ScenarioResult Reload(Bench bench)
    {
        var (frontend, config) = TwoOriginConfig(bench, "r1", "r2", "");
        using var appliance = bench.StartAppliance("reload", config, frontend);
        var notes = new List<string>();
        int reloads = bench.Options.Reloads;
        int done = 0;
        int rate = bench.HttpRate;
        Measured m = bench.RunHttp("reload", frontend, [new RequestPlan(frontend, "/small", ["r1", "r2"], close: false)],
            bench.Options.Connections, rate, notes, side =>
            {
                // Spread over 10–80% of the run, so each reload's drain overlaps load.
                for (int i = 0; i < reloads; i++)
                {
                    side.WaitUntil(side.Duration * (0.1 + 0.7 * i / Math.Max(1, reloads - 1)));
                    string? failure = appliance.Reload();
                    if (failure is null) done++;
                    else side.Stats.Error(ErrorKind.ReloadFailed);
                    side.Note(failure ?? $"reload {i + 1} done");
                }
            });
        notes.Add($"{m.StaleRetries:N0} requests sent again after a reused keep-alive connection was closed under them " +
                  "(the draining generation closing idle connections; clients retry these), " +
                  $"{m.ServerCloses:N0} answers with Connection: close");
        var failures = new List<string>();
        if (done != reloads) failures.Add($"{done} of {reloads} reloads succeeded");
        return Result("reload", bench.Describe(bench.Options.Connections, rate, $"GET /small, {reloads} × appliance reload"), m, notes, failures);
    }

    private static ScenarioResult BackendKill(Bench bench)
    {
        // Fast health checks so the dead server leaves the rotation within a second; until then each
        // request to it fails to connect and is retried on the other one (retries 3, option redispatch).
        var (frontend, config) = TwoOriginConfig(bench, "k1", "k2", " check inter 300ms fall 1 rise 2");
        using var appliance = bench.StartAppliance("backend-kill", config, frontend);
        var notes = new List<string>();
        long survivorAtKill = -1;
        int rate = bench.HttpRate;
        Measured m = bench.RunHttp("backend-kill", frontend, [new RequestPlan(frontend, "/small", ["k1", "k2"], close: false)],
            bench.Options.Connections, rate, notes, side =>
            {
                side.WaitUntil(side.Duration / 3);
                survivorAtKill = bench.Http.Answered("k2");
                bench.Http.Kill("k1");
                side.Note($"origin k1 killed (listener closed, connections reset); a connect to it now: {ProbeConnect(bench.Http.Add("k1"))}");
            }, accepted: new HashSet<int> { 502, 503 });
        long survivorAfter = bench.Http.Answered("k2") - survivorAtKill;
        notes.Add($"k2 answered {survivorAfter:N0} requests after the kill");
        var failures = new List<string>();
        if (survivorAtKill < 0 || survivorAfter <= 0) failures.Add("the surviving origin served nothing after the kill");
        return Result("backend-kill", bench.Describe(bench.Options.Connections, rate, "GET /small; origin k1 killed at 1/3 of the run; 502/503 accepted"), m, notes, failures);
    }

    /// <summary>What a fresh connect to <paramref name="endpoint"/> gets, to show a killed origin is really gone.</summary>
    private static string ProbeConnect(IPEndPoint endpoint)
    {
        using var socket = new System.Net.Sockets.Socket(endpoint.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        try
        {
            return socket.ConnectAsync(endpoint).Wait(TimeSpan.FromSeconds(1)) ? "accepted" : "no answer in 1 s";
        }
        catch (AggregateException e) when (e.InnerException is System.Net.Sockets.SocketException se)
        {
            return se.SocketErrorCode.ToString();
        }
    }

    /// <summary>The common expectations: something was served and verified, and no error of any kind.</summary>
    private static ScenarioResult Result(string id, string load, Measured m, List<string> notes, List<string> failures)
    {
        Scenario scenario = All.First(s => s.Id == id);
        if (m.Ok == 0) failures.Add("no request succeeded");
        if (m.VerifiedBytes == 0) failures.Add("no body byte was verified");
        if (m.ErrorTotal > 0) failures.Add("errors: " + string.Join(", ", m.Errors.Select(e => $"{e.Key} {e.Value}")));
        return new ScenarioResult(id, scenario.Title, load, m, notes, failures);
    }
}
