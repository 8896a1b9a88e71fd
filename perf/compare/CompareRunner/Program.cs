using System.Diagnostics;
using System.Net;
using CompareRunner;

// perf/compare/compare.sh builds everything and runs this under "taskset -c LOAD_CPU".
// Runs every workload against every target, interleaved (round r runs each workload's targets
// rotated by r: A B C D E, B C D E A, ...), then writes JSON, Markdown and SVG.
Options options;
try
{
    options = Options.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine("usage: compare-runner --appliance PATH --yarp PATH [--quick | --smoke] [--idle N] [--startup-runs N] [--rounds N] [--seconds S] [--warmup S] [--rate R] [--targets a,b] [--workloads keepalive,close,bulk,tcp,latency,idle] [--out DIR] [--name BASE] | --render RESULT.json [--out DIR] [--name BASE]");
    return 2;
}
if (options.RenderFrom is not null)
{
    var (earlier, started0, elapsed0, targets0, measurements0, startups0) = Report.Load(options.RenderFrom, options);
    var rendered = new Report(earlier, started0, elapsed0, targets0,
        [.. Workloads.All(earlier).Where(w => measurements0.Any(m => m.Workload == w.Id))], measurements0, startups0);
    foreach (string path in rendered.Write()) Console.WriteLine($"wrote {path}");
    return 0;
}
if (options.Targets.Contains("appliance") && !File.Exists(options.AppliancePath)) { Console.Error.WriteLine($"appliance binary not found: '{options.AppliancePath}'"); return 2; }
if (options.Targets.Contains("yarp") && !File.Exists(options.YarpPath)) { Console.Error.WriteLine($"YARP proxy not found: '{options.YarpPath}'"); return 2; }

// The idle-connection measurement holds thousands of sockets here, and the proxies and backends we start
// inherit this limit: raise it (to the hard limit, or beyond it when root).
var (fileLimit, hardFileLimit) = Appliance.Native.FileLimit.Get();
const ulong WantedFiles = 200_000;
if (fileLimit < WantedFiles && Appliance.Native.FileLimit.RaiseTo(WantedFiles) != 0) _ = Appliance.Native.FileLimit.RaiseTo(hardFileLimit);
// The appliance and HAProxy plan descriptors for every connection to be busy (the appliance 3 per maxconn,
// HAProxy 2 + pipes) and, with strict-limits, refuse a maxconn the limit cannot hold; their maxconn is
// idle + 500 (Lab.MaxConn). Both run with 'no strict-limits' here: an idle client connection holds one
// descriptor in a proxy, so the measurement only needs the idle connections plus a margin (pooled server
// connections, listeners, logs) under the limit, in the proxy and in this runner, which holds the clients.
ulong files = Appliance.Native.FileLimit.Get().Current;
const int DescriptorMargin = 2_000;
int idleCap = (int)Math.Min(1_000_000, (long)files - DescriptorMargin) / 100 * 100;
if (options.IdleConnections > idleCap)
{
    string note = $"idle connections lowered from {options.IdleConnections:N0} to {idleCap:N0}: RLIMIT_NOFILE is {files:N0} here and cannot be raised " +
                  $"({options.IdleConnections:N0} idle connections need a limit of {options.IdleConnections + DescriptorMargin:N0})";
    Console.WriteLine(note);
    options = options with { IdleConnections = idleCap, IdleNote = note };
}

var clock = Stopwatch.StartNew();
var started = DateTimeOffset.Now;
var startups = new List<StartupResult>();
var measurements = new List<Measurement>();
var targets = new List<Target>();
IReadOnlyList<Workload> workloads = [.. Workloads.All(options).Where(w => options.Workloads.Count == 0 || options.Workloads.Contains(w.Id))];
using var lab = new Lab(options);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
int failures = 0;
try
{
    Console.WriteLine($"run directory {lab.Directory}; proxies on CPU {options.ProxyCpu}, load generator and backends on CPU {options.LoadCpu}");
    lab.StartBackends();
    foreach (string name in options.Targets)
    {
        targets.Add(name switch
        {
            "direct" => lab.Direct(),
            "appliance" => lab.StartAppliance(),
            "haproxy" => lab.StartHaproxy(),
            "nginx" => lab.StartNginx(),
            "yarp" => lab.StartYarp(),
            _ => throw new ArgumentException($"unknown target {name}"),
        });
    }
    if (options.ProxyCpuQuotaPercent > 0)
    {
        foreach (Target t in targets.Where(t => t.Process is not null)) lab.ConfineToCpuQuota(t, options.ProxyCpuQuotaPercent);
        Console.WriteLine($"proxies capped to {CpuQuota.Describe(options.ProxyCpuQuotaPercent)}");
    }
    foreach (Target t in targets)
    {
        t.Placement = t.Process?.Placement() ?? "";
        Console.WriteLine($"  {t.Name,-10} http {t.Http} tcp {(t.Tcp?.ToString() ?? "-"),-16} {t.Placement}");
    }

    // Warm-up, not recorded: YARP's JIT tiers up, every proxy fills its connection pools, and the
    // latency client's own code is compiled before it measures anything.
    ConstantRateClient.Run(targets[0].Http, "/small", options.Rate, 8, 1);
    foreach (Target t in targets.Where(t => t.Process is not null))
    {
        Wrk.Run(options.LoadCpu, $"http://{t.Http}/small", 50, options.WarmupSeconds);
        Wrk.Run(options.LoadCpu, $"http://{t.Http}/1m", 8, 1);
        if (t.Tcp is not null) Wrk.Run(options.LoadCpu, $"http://{t.Tcp}/1m", 8, 1);
    }

    for (int round = 1; round <= options.Rounds && !cancel.IsCancellationRequested; round++)
    {
        // Once-per-process workloads (memory) first, while the proxy has seen only the warm-up's few connections.
        foreach (Workload workload in workloads.OrderBy(w => !w.FirstRoundOnly))
        {
            var order = targets.Skip((round - 1) % targets.Count).Concat(targets.Take((round - 1) % targets.Count));
            foreach (Target target in order)
            {
                if (cancel.IsCancellationRequested) break;
                if (workload.UsesTcpMode && target.Tcp is null) continue;
                if (workload.ProxiesOnly && target.Process is null) continue;
                if (workload.FirstRoundOnly && round > 1) continue;
                Thread.Sleep(500); // let the previous run's connections close
                Measurement m = Measure(workload, target, round, options);
                measurements.Add(m);
                if (m.Failure is not null) failures++;
                Console.WriteLine(Describe(m, workload, options));
            }
        }
    }

    // Startup to READY (systemd notify), for the appliance and HAProxy: the seed config and 1,000 backends.
    if (options.StartupRuns > 0 && !cancel.IsCancellationRequested)
    {
        foreach (var (configName, config) in new (string, Func<IPEndPoint, string>)[] { ("seed", lab.SeedConfig), ("1000-backends", lab.ThousandBackendsConfig) })
        {
            foreach (string name in options.Targets.Where(t => t is "appliance" or "haproxy"))
            {
                StartupResult r = StartupTimer.Measure(lab, name, configName, config, options.StartupRuns);
                startups.Add(r);
                if (r.Failures > 0) failures++;
                Console.WriteLine($"startup {configName,-13} {name,-10} median {r.Median:N1} ms (min {r.Milliseconds.DefaultIfEmpty(double.NaN).Min():N1}, max {r.Milliseconds.DefaultIfEmpty(double.NaN).Max():N1}, {r.Milliseconds.Count} runs{(r.Failures > 0 ? $", {r.Failures} failed" : "")})");
            }
        }
    }
}
catch (Exception e) when (e is InvalidOperationException or TimeoutException or ArgumentException or IOException)
{
    Console.Error.WriteLine($"compare failed: {e.Message}");
    failures++;
}
finally
{
    lab.Dispose();
}

if (measurements.Count > 0)
{
    var report = new Report(options, started, clock.Elapsed, targets, workloads, measurements, startups);
    foreach (string path in report.Write()) Console.WriteLine($"wrote {path}");
    Console.WriteLine();
    Console.WriteLine(report.SummaryTable());
    Console.WriteLine(report.StartupTable());
}
if (options.Smoke) failures += SmokeProblems(measurements, startups, workloads, targets);
Console.WriteLine($"compare: {measurements.Count} runs in {clock.Elapsed.TotalSeconds:N0} s, {failures} failed");
return failures == 0 && measurements.Count > 0 ? 0 : 1;

static Measurement Measure(Workload workload, Target target, int round, Options options)
{
    if (target.Process is { HasExited: true }) return Failed($"{target.Name} is no longer running");
    long before = target.Process?.CpuTicks() ?? 0;
    try
    {
        var (metrics, requests, errors) = workload.Run(target, options);
        double cpu = target.Process is null ? double.NaN : (target.Process.CpuTicks() - before) / ProcStat.TicksPerSecond;
        string? failure = target.Process is { HasExited: true } ? $"{target.Name} exited during the run" : null;
        return new Measurement(workload.Id, target.Name, round, metrics, requests, cpu, errors, failure);
    }
    catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
    {
        return Failed(e.Message.Split('\n')[0]);
    }

    Measurement Failed(string why) => new(workload.Id, target.Name, round, new Dictionary<string, double>(), 0, double.NaN, 0, why);
}

// The smoke asserts no speed, only that every run produced sane figures: each workload measured for every
// target, every figure finite and positive (memory: every idle connection held), no errors through the
// appliance or on the direct path (a peer's errors are its own and only reported), every startup READY.
static int SmokeProblems(List<Measurement> measurements, List<StartupResult> startups, IReadOnlyList<Workload> workloads, List<Target> targets)
{
    var problems = new List<string>();
    foreach (Workload w in workloads)
    {
        foreach (Target t in targets)
        {
            if ((w.UsesTcpMode && t.Tcp is null) || (w.ProxiesOnly && t.Process is null)) continue;
            Measurement? m = measurements.FirstOrDefault(x => x.Workload == w.Id && x.Target == t.Name);
            if (m is null || m.Failure is not null) { problems.Add($"{w.Id} {t.Name}: {m?.Failure ?? "not measured"}"); continue; }
            var figures = w.FirstRoundOnly ? m.Metrics.Where(kv => kv.Key != "kib") : m.Metrics;
            foreach (var (name, value) in figures)
            {
                if (!double.IsFinite(value) || value <= 0) problems.Add($"{w.Id} {t.Name}: {name} = {value}");
            }
            if (m.Errors > 0 && t.Name is "appliance" or "direct") problems.Add($"{w.Id} {t.Name}: {m.Errors} errors");
        }
    }
    foreach (StartupResult r in startups)
    {
        if (r.Failures > 0 || r.Milliseconds.Count == 0 || !(r.Median > 0)) problems.Add($"startup {r.Config} {r.Target}: {r.Failures} failed runs");
    }
    foreach (string p in problems) Console.Error.WriteLine($"smoke: {p}");
    return problems.Count;
}

static string Describe(Measurement m, Workload w, Options o)
{
    string head = $"round {m.Round}/{o.Rounds} {w.Id,-9} {m.Target,-10}";
    if (m.Failure is not null) return $"{head} FAILED: {m.Failure}";
    string values = string.Join("  ", w.Metrics.Select(x => $"{m.Metrics[x.Name].ToString(x.Format)} {x.Unit}"));
    string cpu = double.IsNaN(m.CpuMsPer1kRequests) ? "" : $"  proxy CPU {m.CpuMsPer1kRequests:N1} ms/1k req";
    string errors = m.Errors > 0 ? $"  errors {m.Errors}" : "";
    return $"{head} {values}{cpu}{errors}";
}
