using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompareRunner;

/// <summary>Median, range and ratios of one metric of one workload for one target.</summary>
internal sealed record Summary(string Workload, string Metric, string Target, int Runs, double Median, double Min, double Max,
    double VsDirect, double VsHaproxy, double CpuMsPer1k, long Errors);

/// <summary>Turns the measurements into perf/results/NAME.json, NAME.md and NAME.svg.</summary>
internal sealed class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly Dictionary<string, string> Colors = new()
    {
        ["direct"] = "#7f7f7f", ["appliance"] = "#1f77b4", ["haproxy"] = "#2ca02c", ["nginx"] = "#ff7f0e", ["yarp"] = "#9467bd",
    };

    private readonly Options _options;
    private readonly DateTimeOffset _started;
    private readonly TimeSpan _elapsed;
    private readonly IReadOnlyList<Target> _targets;
    private readonly IReadOnlyList<Workload> _workloads;
    private readonly IReadOnlyList<Measurement> _measurements;
    private readonly List<Summary> _summaries = [];
    private readonly IReadOnlyList<StartupResult> _startups;

    public Report(Options options, DateTimeOffset started, TimeSpan elapsed, IReadOnlyList<Target> targets,
        IReadOnlyList<Workload> workloads, IReadOnlyList<Measurement> measurements, IReadOnlyList<StartupResult> startups)
    {
        _startups = startups;
        _options = options;
        _started = started;
        _elapsed = elapsed;
        _targets = targets;
        _workloads = workloads;
        _measurements = measurements;
        foreach (Workload w in workloads)
        {
            foreach (Metric metric in w.Metrics)
            {
                double direct = MedianOf(w.Id, metric.Name, "direct");
                double haproxy = MedianOf(w.Id, metric.Name, "haproxy");
                foreach (Target t in targets)
                {
                    var runs = Runs(w.Id, t.Name).ToList();
                    if (runs.Count == 0) continue;
                    var values = runs.Select(m => m.Metrics[metric.Name]).ToList();
                    double median = Median(values);
                    _summaries.Add(new Summary(w.Id, metric.Name, t.Name, runs.Count, median, values.Min(), values.Max(),
                        median / direct, median / haproxy, Median(runs.Select(m => m.CpuMsPer1kRequests).ToList()), runs.Sum(m => m.Errors)));
                }
            }
        }
    }

    public IReadOnlyList<Summary> Summaries => _summaries;

    /// <summary>
    /// Reads back what <see cref="Json"/> wrote, to render the reports again (e.g. after a change to
    /// the chart) without measuring again. Output location and name come from <paramref name="current"/>.
    /// </summary>
    public static (Options, DateTimeOffset, TimeSpan, List<Target>, List<Measurement>, List<StartupResult>) Load(string path, Options current)
    {
        JsonNode root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty");
        JsonNode settings = root["settings"]!;
        var options = current with
        {
            Quick = root["command"]!.GetValue<string>().Contains("--quick", StringComparison.Ordinal),
            Smoke = root["command"]!.GetValue<string>().Contains("--smoke", StringComparison.Ordinal),
            Rounds = settings["rounds"]!.GetValue<int>(), Seconds = settings["secondsPerRun"]!.GetValue<int>(),
            WarmupSeconds = settings["warmupSeconds"]!.GetValue<int>(), Rate = settings["latencyRate"]!.GetValue<int>(),
            ProxyCpu = settings["proxyCpu"]!.GetValue<int>(), LoadCpu = settings["loadCpu"]!.GetValue<int>(),
            CommandLine = root["runnerArguments"]!.GetValue<string>(),
            IdleConnections = settings["idleConnections"]?.GetValue<int>() ?? current.IdleConnections,
            IdleNote = settings["idleNote"]?.GetValue<string>(),
        };
        var targets = root["targets"]!.AsArray().Select(t => new Target
        {
            Name = t!["name"]!.GetValue<string>(), Description = t["description"]!.GetValue<string>(), Version = t["version"]!.GetValue<string>(),
            Http = IPEndPoint.Parse(t["http"]!.GetValue<string>()), Tcp = t["tcp"] is { } tcp ? IPEndPoint.Parse(tcp.GetValue<string>()) : null,
            Placement = t["placement"]!.GetValue<string>(),
        }).ToList();
        static double D(JsonNode? n) => n is null ? double.NaN : n.GetValue<double>();
        var measurements = root["measurements"]!.AsArray().Select(m => new Measurement(
            m!["workload"]!.GetValue<string>(), m["target"]!.GetValue<string>(), m["round"]!.GetValue<int>(),
            m["metrics"]!.AsObject().ToDictionary(kv => kv.Key, kv => D(kv.Value)),
            m["requests"]!.GetValue<long>(), D(m["proxyCpuSeconds"]), m["errors"]!.GetValue<long>(), m["failure"]?.GetValue<string>())).ToList();
        var startups = (root["startup"]?.AsArray() ?? []).Select(s => new StartupResult(
            s!["config"]!.GetValue<string>(), s["target"]!.GetValue<string>(),
            [.. s["runsMs"]!.AsArray().Select(v => v!.GetValue<double>())], s["failures"]!.GetValue<int>())).ToList();
        return (options, DateTimeOffset.Parse(root["generated"]!.GetValue<string>(), Invariant),
            TimeSpan.FromSeconds(settings["elapsedSeconds"]!.GetValue<double>()), targets, measurements, startups);
    }

    public IEnumerable<string> Write()
    {
        Directory.CreateDirectory(_options.OutputDirectory);
        string basePath = Path.Combine(_options.OutputDirectory, _options.OutputName);
        File.WriteAllText(basePath + ".json", Json());
        File.WriteAllText(basePath + ".md", Markdown());
        File.WriteAllText(basePath + ".svg", Svg());
        return [basePath + ".json", basePath + ".md", basePath + ".svg"];
    }

    /// <summary>One line per workload metric: each target's median and its ratio to direct.</summary>
    public string SummaryTable()
    {
        var text = new StringBuilder();
        text.Append("| workload | ").AppendJoin(" | ", _targets.Select(t => t.Name)).Append(" |\n");
        text.Append("|---|").AppendJoin("", _targets.Select(_ => "---:|")).Append('\n');
        foreach (Workload w in _workloads)
        {
            foreach (Metric metric in w.Metrics)
            {
                text.Append($"| {w.Id} {metric.Unit}{(metric.Name is "p50" or "p99" ? " " + metric.Name : "")} |");
                foreach (Target t in _targets)
                {
                    Summary? s = Find(w.Id, metric.Name, t.Name);
                    text.Append(s is null ? " – |" : t.Name == "direct" ? $" {Number(s.Median, metric.Format)} |" : $" {Number(s.Median, metric.Format)} ({Ratio(s.VsDirect)}) |");
                }
                text.Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>Startup to READY per config and target: median, min–max, runs.</summary>
    public string StartupTable()
    {
        if (_startups.Count == 0) return "";
        var text = new StringBuilder("| config | target | median ms | min–max ms | runs | failed |\n|---|---|---:|---:|---:|---:|\n");
        foreach (StartupResult r in _startups)
        {
            string range = r.Milliseconds.Count == 0 ? "–" : $"{Number(r.Milliseconds.Min(), "N1")}–{Number(r.Milliseconds.Max(), "N1")}";
            text.Append($"| {r.Config} | {r.Target} | {Number(r.Median, "N1")} | {range} | {r.Milliseconds.Count} | {r.Failures} |\n");
        }
        return text.ToString();
    }

    private string CommandName => "perf/compare/compare.sh" + (_options.Smoke ? " --smoke" : _options.Quick ? " --quick" : "");

    private string Markdown()
    {
        var md = new StringBuilder();
        md.Append($"# Proxy comparison, {_started:yyyy-MM-dd HH:mm zzz}\n\n");
        md.Append($"- Command: `{CommandName}` (runner arguments: `{_options.CommandLine}`)\n");
        md.Append($"- Machine: {Machine()}\n");
        if (_options.IdleNote is not null) md.Append($"- Note: {_options.IdleNote}\n");
        md.Append($"- Placement: proxies on CPU {_options.ProxyCpu}; wrk, the latency client and the backends on CPU {_options.LoadCpu}.\n");
        if (_options.ProxyCpuQuotaPercent > 0) md.Append($"- CPU budget: {CpuQuota.Describe(_options.ProxyCpuQuotaPercent)}, so the proxy rather than the load CPU bounds the run.\n");
        md.Append($"- {_options.Rounds} round(s) × {_options.Seconds} s per run, targets interleaved (each round rotates the order); " +
                  $"{_options.WarmupSeconds} s keep-alive warm-up per proxy first; {_measurements.Count} runs in {_elapsed.TotalMinutes:N1} min.\n");
        md.Append("- Values are medians over rounds, with min–max. `vs direct` and `vs HAProxy` are ratios of medians " +
                  "(for req/s and MiB/s higher is better; for latency lower is better). Proxy CPU is utime+stime of all the proxy's " +
                  "processes over the run, per 1,000 requests (for 1 MiB workloads, per 1,000 MiB).\n\n");
        md.Append("| target | what | version | CPUs its threads may use |\n|---|---|---|---|\n");
        foreach (Target t in _targets) md.Append($"| {t.Name} | {t.Description} | {t.Version} | {t.Placement} |\n");
        md.Append("\n## Summary (median, ratio vs direct)\n\n").Append(SummaryTable());
        foreach (Workload w in _workloads)
        {
            md.Append($"\n## {w.Title}\n\n`{w.How}`\n\n");
            foreach (Metric metric in w.Metrics)
            {
                md.Append($"| target | {metric.Name} ({metric.Unit}) median | min–max | vs direct | vs HAProxy | proxy CPU ms / 1k req | errors | runs |\n");
                md.Append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
                foreach (Target t in _targets)
                {
                    Summary? s = Find(w.Id, metric.Name, t.Name);
                    if (s is null) continue;
                    md.Append($"| {t.Name} | {Number(s.Median, metric.Format)} | {Number(s.Min, metric.Format)}–{Number(s.Max, metric.Format)} | " +
                              $"{Ratio(s.VsDirect)} | {Ratio(s.VsHaproxy)} | {(double.IsNaN(s.CpuMsPer1k) ? "–" : s.CpuMsPer1k.ToString("N1", Invariant))} | {s.Errors} | {s.Runs} |\n");
                }
                md.Append('\n');
            }
        }
        if (_startups.Count > 0)
        {
            md.Append("\n## Startup to READY\n\nFrom exec to the systemd `READY=1` datagram (`NOTIFY_SOCKET`; HAProxy with `-Ws`), " +
                      "then one request through it to prove it serves. `seed`: the seed configuration (TCP mode, 2 servers with checks); " +
                      "`1000-backends`: 1,000 `path_beg` ACLs and `use_backend` rules, 1,000 backends of 2 servers with checks.\n\n");
            md.Append(StartupTable());
        }
        var failed = _measurements.Where(m => m.Failure is not null).ToList();
        if (failed.Count > 0)
        {
            md.Append("\n## Failed runs\n\n");
            foreach (Measurement m in failed) md.Append($"- round {m.Round} {m.Workload} {m.Target}: {m.Failure}\n");
        }
        return md.ToString();
    }

    private string Json()
    {
        static JsonNode? N(double v) => double.IsNaN(v) || double.IsInfinity(v) ? null : JsonValue.Create(Math.Round(v, 4));
        var root = new JsonObject
        {
            ["generated"] = _started.ToString("O", Invariant),
            ["command"] = CommandName,
            ["runnerArguments"] = _options.CommandLine,
            ["machine"] = Machine(),
            ["settings"] = new JsonObject
            {
                ["rounds"] = _options.Rounds, ["secondsPerRun"] = _options.Seconds, ["warmupSeconds"] = _options.WarmupSeconds,
                ["latencyRate"] = _options.Rate, ["proxyCpu"] = _options.ProxyCpu, ["loadCpu"] = _options.LoadCpu, ["proxyCpuQuotaPercent"] = _options.ProxyCpuQuotaPercent,
                ["elapsedSeconds"] = Math.Round(_elapsed.TotalSeconds, 1), ["idleConnections"] = _options.IdleConnections, ["idleNote"] = _options.IdleNote,
            },
            ["startup"] = new JsonArray([.. _startups.Select(r => (JsonNode)new JsonObject
            {
                ["config"] = r.Config, ["target"] = r.Target, ["medianMs"] = N(r.Median), ["failures"] = r.Failures,
                ["runsMs"] = new JsonArray([.. r.Milliseconds.Select(v => N(v))]),
            })]),
            ["targets"] = new JsonArray([.. _targets.Select(t => (JsonNode)new JsonObject
            {
                ["name"] = t.Name, ["description"] = t.Description, ["version"] = t.Version, ["http"] = t.Http.ToString(),
                ["tcp"] = t.Tcp?.ToString(), ["placement"] = t.Placement,
            })]),
            ["workloads"] = new JsonArray([.. _workloads.Select(w => (JsonNode)new JsonObject
            {
                ["id"] = w.Id, ["title"] = w.Title, ["how"] = w.How,
                ["metrics"] = new JsonArray([.. w.Metrics.Select(m => (JsonNode)new JsonObject { ["name"] = m.Name, ["unit"] = m.Unit, ["higherIsBetter"] = m.HigherIsBetter })]),
            })]),
            ["summary"] = new JsonArray([.. _summaries.Select(s => (JsonNode)new JsonObject
            {
                ["workload"] = s.Workload, ["metric"] = s.Metric, ["target"] = s.Target, ["runs"] = s.Runs,
                ["median"] = N(s.Median), ["min"] = N(s.Min), ["max"] = N(s.Max),
                ["vsDirect"] = N(s.VsDirect), ["vsHaproxy"] = N(s.VsHaproxy), ["proxyCpuMsPer1kRequests"] = N(s.CpuMsPer1k), ["errors"] = s.Errors,
            })]),
            ["measurements"] = new JsonArray([.. _measurements.Select(m =>
            {
                var metrics = new JsonObject();
                foreach (var (k, v) in m.Metrics) metrics[k] = N(v);
                return (JsonNode)new JsonObject
                {
                    ["round"] = m.Round, ["workload"] = m.Workload, ["target"] = m.Target, ["metrics"] = metrics,
                    ["requests"] = m.Requests, ["proxyCpuSeconds"] = N(m.ProxyCpuSeconds), ["errors"] = m.Errors, ["failure"] = m.Failure,
                };
            })]),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>
    /// Three panels: throughput of each workload relative to direct (1.0 = as fast as no proxy); proxy
    /// CPU per 1,000 requests; latency p50/p99 in ms at the constant rate. Each group of bars has its
    /// own scale; a latency bar beyond 4× its group's median is cut (its label keeps the real value).
    /// </summary>
    private string Svg()
    {
        const int width = 960, barHeight = 16, gap = 3, groupGap = 16, left = 180, right = 170;
        int plot = width - left - right;
        var proxies = _targets.Where(t => t.Name != "direct").ToList();
        var body = new StringBuilder();
        int y = 50;

        void Title(string text)
        {
            body.Append($"<text x=\"10\" y=\"{y}\" font-size=\"15\" font-weight=\"bold\">{Escape(text)}</text>\n");
            y += 14;
        }

        // One group: a bold label, then one bar per (target, value, label); scale = value drawn full width.
        void Group(string label, IEnumerable<(Target Target, double Value, string Text)> bars, double scale)
        {
            y += groupGap;
            body.Append($"<text x=\"10\" y=\"{y + barHeight - 3}\" font-size=\"12\" font-weight=\"bold\">{Escape(label)}</text>\n");
            foreach (var (t, value, text) in bars)
            {
                if (!double.IsFinite(value)) continue;
                y += barHeight + gap;
                bool cut = value > scale;
                double length = plot * Math.Min(value, scale) / scale;
                body.Append($"<text x=\"{left - 6}\" y=\"{y + barHeight - 4}\" font-size=\"11\" text-anchor=\"end\">{t.Name}</text>\n");
                body.Append($"<rect x=\"{left}\" y=\"{y}\" width=\"{F(length)}\" height=\"{barHeight}\" fill=\"{Colors.GetValueOrDefault(t.Name, "#444")}\"/>\n");
                if (cut) body.Append($"<path d=\"M{F(left + length - 14)} {y - 1} l6 {barHeight + 2} M{F(left + length - 8)} {y - 1} l6 {barHeight + 2}\" stroke=\"white\" stroke-width=\"3\"/>\n");
                body.Append($"<text x=\"{F(left + length + 4)}\" y=\"{y + barHeight - 4}\" font-size=\"11\">{Escape(text)}</text>\n");
            }
            y += barHeight;
        }

        var throughput = _workloads.Where(w => w.Metrics[0].HigherIsBetter).ToList();
        if (throughput.Count > 0)
        {
            Title("Throughput relative to the direct path (1.0 = no proxy; higher is better)");
            double maxRatio = Math.Max(1.1, _summaries
                .Where(s => s.Target != "direct" && throughput.Any(w => w.Id == s.Workload && w.Metrics[0].Name == s.Metric))
                .Select(s => s.VsDirect).Where(double.IsFinite).DefaultIfEmpty(1).Max());
            int panelTop = y;
            foreach (Workload w in throughput)
            {
                Metric metric = w.Metrics[0];
                Group($"{w.Id} ({metric.Unit})",
                    from t in proxies let s = Find(w.Id, metric.Name, t.Name) where s is not null
                    select (t, s.VsDirect, $"{Ratio(s.VsDirect)} ({Number(s.Median, metric.Format)})"), maxRatio);
            }
            double one = left + plot / maxRatio;
            body.Append($"<line x1=\"{F(one)}\" y1=\"{panelTop}\" x2=\"{F(one)}\" y2=\"{y}\" stroke=\"#333\" stroke-dasharray=\"4 3\"/>\n");
            body.Append($"<text x=\"{F(one + 4)}\" y=\"{panelTop + 8}\" font-size=\"10\">direct = 1.0</text>\n");
            y += 40;
        }

        Title("Proxy CPU time per 1,000 requests, ms (lower is better; 1 MiB workloads: per 1,000 MiB)");
        foreach (Workload w in _workloads.Where(w => !w.FirstRoundOnly))
        {
            Metric metric = w.Metrics[0];
            var bars = (from t in proxies let s = Find(w.Id, metric.Name, t.Name) where s is not null && double.IsFinite(s.CpuMsPer1k)
                        select (t, s.CpuMsPer1k, $"{s.CpuMsPer1k.ToString("N1", Invariant)} ms")).ToList();
            if (bars.Count > 0) Group(w.Id, bars, bars.Max(b => b.CpuMsPer1k));
        }

        Workload? latency = _workloads.FirstOrDefault(w => w.Id == "latency");
        if (latency is not null)
        {
            y += 40;
            Title($"Latency at {_options.Rate:N0} req/s, ms (lower is better)");
            foreach (Metric metric in latency.Metrics)
            {
                var bars = (from t in _targets let s = Find(latency.Id, metric.Name, t.Name) where s is not null
                            select (t, s.Median, $"{Number(s.Median, "N3")} ms")).ToList();
                if (bars.Count == 0) continue;
                double max = bars.Max(b => b.Median);
                double cap = 4 * Median([.. bars.Select(b => b.Median)]);
                Group(metric.Name, bars, Math.Min(max, cap));
            }
        }
        foreach (Workload w in _workloads.Where(w => w.FirstRoundOnly))
        {
            Metric metric = w.Metrics[0];
            var bars = (from t in proxies let s = Find(w.Id, metric.Name, t.Name) where s is not null
                        select (t, s.Median, $"{Number(s.Median, metric.Format)} {metric.Unit}")).ToList();
            if (bars.Count == 0) continue;
            y += 40;
            Title($"{w.Title} (lower is better)");
            Group(metric.Unit, bars, bars.Max(b => b.Median));
        }
        if (_startups.Count > 0)
        {
            y += 40;
            Title("Startup to READY, ms, median (lower is better)");
            foreach (var config in _startups.GroupBy(r => r.Config))
            {
                var bars = (from r in config let t = _targets.FirstOrDefault(t => t.Name == r.Target) where t is not null
                            select (t, r.Median, $"{Number(r.Median, "N1")} ms")).ToList();
                if (bars.Count > 0) Group(config.Key, bars, bars.Max(b => b.Median));
            }
        }
        y += 30;
        body.Append($"<text x=\"10\" y=\"{y}\" font-size=\"10\" fill=\"#555\">{Escape($"{Machine()}; proxies on CPU {_options.ProxyCpu}, load and backends on CPU {_options.LoadCpu}; medians of {_options.Rounds} interleaved round(s) × {_options.Seconds} s")}</text>\n");
        y += 10;

        return $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{y}" viewBox="0 0 {width} {y}" font-family="sans-serif">
            <rect width="100%" height="100%" fill="white"/>
            <text x="10" y="24" font-size="18" font-weight="bold">{Escape($"Appliance vs HAProxy, nginx, YARP, {_started:yyyy-MM-dd}")}</text>
            {body}</svg>
            """;
    }

    private IEnumerable<Measurement> Runs(string workload, string target) =>
        _measurements.Where(m => m.Workload == workload && m.Target == target && m.Failure is null);

    private double MedianOf(string workload, string metric, string target)
    {
        var values = Runs(workload, target).Select(m => m.Metrics[metric]).ToList();
        return values.Count == 0 ? double.NaN : Median(values);
    }

    private Summary? Find(string workload, string metric, string target) =>
        _summaries.FirstOrDefault(s => s.Workload == workload && s.Metric == metric && s.Target == target);

    internal static double Median(List<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        if (sorted.Count == 0) return double.NaN;
        int mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static string Machine()
    {
        string model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
        string kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "?";
        // Not Environment.ProcessorCount: this runner runs under taskset, which makes that 1.
        int cpus = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").Count(l => l.StartsWith("processor", StringComparison.Ordinal)) : 0;
        return $"{cpus} CPUs ({model}), Linux {kernel}";
    }

    private static string Number(double v, string format) => double.IsNaN(v) ? "–" : v.ToString(format, Invariant);

    private static string Ratio(double v) => double.IsFinite(v) ? v.ToString("0.00", Invariant) + "×" : "–";

    private static string F(double v) => v.ToString("0.#", Invariant);

    private static string Escape(string s) => WebUtility.HtmlEncode(s);
}
