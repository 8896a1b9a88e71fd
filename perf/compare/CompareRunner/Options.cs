namespace CompareRunner;

/// <summary>Command-line settings; defaults are the full run.</summary>
internal sealed record Options
{
    public bool Quick { get; init; }
    /// <summary>CI smoke: 1 round × 1 s, the appliance and the installed Debian peers, few idle connections; proves it runs, measures nothing.</summary>
    public bool Smoke { get; init; }
    /// <summary>Idle client connections held open through each proxy for the memory figure.</summary>
    public int IdleConnections { get; init; } = 10_000;
    /// <summary>Why <see cref="IdleConnections"/> is lower than asked (the descriptor limit), for the report.</summary>
    public string? IdleNote { get; init; }
    /// <summary>Starts per target and config for the startup-to-READY figure (0: not measured).</summary>
    public int StartupRuns { get; init; } = 5;
    public int Rounds { get; init; } = 3;
    /// <summary>Seconds per measured run (wrk -d, and the constant-rate client's duration).</summary>
    public int Seconds { get; init; } = 10;
    /// <summary>Seconds of keep-alive load per target before the first round (JIT, pools, caches).</summary>
    public int WarmupSeconds { get; init; } = 3;
    /// <summary>Requests per second of the latency workload: moderate, well under every target's capacity.</summary>
    public int Rate { get; init; } = 2000;
    public int ProxyCpu { get; init; } = 1;
    public int LoadCpu { get; init; } = 0;
    /// <summary><c>--proxy-cpu-quota PERCENT</c>: each proxy capped to that share of one CPU (0: no cap).</summary>
    public int ProxyCpuQuotaPercent { get; init; }
    public string AppliancePath { get; init; } = "";
    public string YarpPath { get; init; } = "";
    public string OutputDirectory { get; init; } = "perf/results";
    /// <summary>Base name of the result files (compare → compare.json, compare.md, compare.svg).</summary>
    public string OutputName { get; init; } = "compare";
    /// <summary>Targets to run, in interleaving order; direct is always included.</summary>
    public IReadOnlyList<string> Targets { get; init; } = ["direct", "appliance", "haproxy", "nginx", "yarp"];
    /// <summary>Re-render the reports of an earlier run from its JSON instead of measuring.</summary>
    public string? RenderFrom { get; init; }
    /// <summary>Workload ids to run (all when empty).</summary>
    public IReadOnlyList<string> Workloads { get; init; } = [];
    public string CommandLine { get; init; } = "";

    public static Options Parse(string[] args)
    {
        var o = new Options { CommandLine = string.Join(' ', args) };
        if (args.Contains("--quick"))
        {
            o = o with { Quick = true, Rounds = 1, Seconds = 2, WarmupSeconds = 1, StartupRuns = 3, OutputName = "compare-quick" };
        }
        if (args.Contains("--smoke"))
        {
            // YARP is left out: it is no Debian package and its JIT warm-up alone would take the smoke's budget.
            o = o with
            {
                Smoke = true, Rounds = 1, Seconds = 1, WarmupSeconds = 1, IdleConnections = 1000, StartupRuns = 3, OutputName = "compare-smoke",
                Targets = ["direct", "appliance", .. new[] { "haproxy", "nginx" }.Where(Installed)],
            };
        }
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--quick" or "--smoke": break;
                case "--idle": o = o with { IdleConnections = int.Parse(Next()) }; break;
                case "--startup-runs": o = o with { StartupRuns = int.Parse(Next()) }; break;
                case "--rounds": o = o with { Rounds = int.Parse(Next()) }; break;
                case "--seconds": o = o with { Seconds = int.Parse(Next()) }; break;
                case "--warmup": o = o with { WarmupSeconds = int.Parse(Next()) }; break;
                case "--rate": o = o with { Rate = int.Parse(Next()) }; break;
                case "--proxy-cpu": o = o with { ProxyCpu = int.Parse(Next()) }; break;
                case "--load-cpu": o = o with { LoadCpu = int.Parse(Next()) }; break;
                case "--proxy-cpu-quota": o = o with { ProxyCpuQuotaPercent = int.Parse(Next()) }; break;
                case "--appliance": o = o with { AppliancePath = Next() }; break;
                case "--yarp": o = o with { YarpPath = Next() }; break;
                case "--out": o = o with { OutputDirectory = Next() }; break;
                case "--name": o = o with { OutputName = Next() }; break;
                case "--targets":
                    var list = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
                    if (!list.Contains("direct")) list.Insert(0, "direct");
                    o = o with { Targets = list };
                    break;
                case "--render": o = o with { RenderFrom = Next() }; break;
                case "--workloads":
                    o = o with { Workloads = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) };
                    break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (o.ProxyCpuQuotaPercent is < 0 or > 100) throw new ArgumentException("--proxy-cpu-quota takes a percentage of one CPU, 1..100");
        if (o.Rounds < 1 || o.Seconds < 1 || o.Rate < 1 || o.IdleConnections < 1) throw new ArgumentException("rounds, seconds, rate and idle must be positive");
        return o;
    }

    private static bool Installed(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin"]).Any(d => File.Exists(Path.Combine(d, command)));
}
