using Appliance.Benchmarks;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// Usage (from the repository root; see perf/README.md):
//   dotnet run -c Release --project perf/Appliance.Benchmarks                 full run, every benchmark
//   dotnet run -c Release --project perf/Appliance.Benchmarks -- --short      few iterations, in-process (< 3 min)
//   dotnet run -c Release --project perf/Appliance.Benchmarks -- --smoke      CI: every benchmark runs once briefly (< 1 min); numbers mean nothing
//   ... -- --filter '*RouteLookup*'                                          any BenchmarkDotNet option
// Exit code 1 when a benchmark failed or the combined request path allocated.
bool quick = args.Contains("--short");
bool smoke = args.Contains("--smoke");
var rest = args.Where(a => a is not "--short" and not "--smoke").ToList();
if (!rest.Contains("--filter") && !rest.Contains("-f")) rest.AddRange(["--filter", "*"]); // never prompt

IConfig config = DefaultConfig.Instance;
if (smoke)
{
    // Proves every benchmark still builds its setup and runs (and RequestPathBenchmarks' setup still
    // finds 0 B allocated): 1 warm-up and 2 iterations of 20 ms. Asserts no speed.
    config = config.AddJob(InProcessJob("Smoke", warmups: 1, iterations: 2, milliseconds: 20));
}
else if (quick)
{
    // 4 warm-ups + 5 measured iterations of ~100 ms: enough to rank and to prove 0 B, too few for fine comparisons.
    config = config.AddJob(InProcessJob("Short", warmups: 4, iterations: 5, milliseconds: 100));
}

Summary[] summaries = BenchmarkSwitcher.FromAssembly(typeof(RequestPathBenchmarks).Assembly).Run([.. rest], config).ToArray();

int failures = 0;
foreach (Summary summary in summaries)
{
    if (summary.HasCriticalValidationErrors) failures++;
    foreach (BenchmarkReport report in summary.Reports)
    {
        string name = report.BenchmarkCase.DisplayInfo;
        if (!report.Success)
        {
            Console.Error.WriteLine($"FAILED: {name}");
            failures++;
            continue;
        }
        if (report.BenchmarkCase.Descriptor.Type == typeof(RequestPathBenchmarks))
        {
            long? allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
            Console.WriteLine($"0 B check: {name} allocated {allocated?.ToString() ?? "?"} B/op");
            // In --smoke the figure is not judged: after a 20 ms warm-up the runtime is still busy (tiered
            // compilation, most likely), and some runs read 1 B/op where --short and full runs read 0. The
            // benchmark's setup has already failed the run if the request path allocated a byte over
            // 10,000 requests on its thread.
            if (allocated is not 0 && !smoke) failures++;
        }
    }
}
if (summaries.Sum(s => s.Reports.Length) == 0)
{
    Console.Error.WriteLine("no benchmark ran");
    failures++;
}
Console.WriteLine(failures > 0 ? $"benchmarks: {failures} problem(s)"
    : smoke ? "benchmarks: all ran; the request path allocated 0 B over 10,000 requests (RequestPathBenchmarks setup)"
    : "benchmarks: all ran, request path allocates 0 B/op");
return failures == 0 ? 0 : 1;

// In-process (no generated project to build, no child processes), 1 launch.
static Job InProcessJob(string id, int warmups, int iterations, int milliseconds) => Job.Default
    .WithLaunchCount(1)
    .WithWarmupCount(warmups)
    .WithIterationCount(iterations)
    .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(milliseconds))
    .WithToolchain(InProcessEmitToolchain.Instance)
    .WithId(id);
