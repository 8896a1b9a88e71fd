using System.Diagnostics;
using Appliance.Load;
using Appliance.Load.Reporting;
using Appliance.Load.Scenarios;

// Load scenarios wrk cannot check (see perf/README.md, "Load scenarios"):
//   dotnet run -c Release --project perf/Appliance.Load                  every scenario, 10 s each
//   dotnet run -c Release --project perf/Appliance.Load -- --smoke       every scenario, 2 s each (CI)
//   ... -- --scenarios reload,backend-kill --seconds 30 --reloads 10     any subset, longer
// The appliance binary: --appliance PATH, else $APPLIANCE_BIN, else artifacts/publish/appliance.
// Exit code 0 when every scenario met its expectations, 1 otherwise, 2 on a usage error.
LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}
if (options.List)
{
    foreach (Scenario s in Catalog.All) Console.WriteLine($"{s.Id,-15} {s.Title}: {s.Expectation}");
    return 0;
}
var unknown = options.Scenarios.Where(id => Catalog.All.All(s => s.Id != id)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"unknown scenario(s): {string.Join(", ", unknown)}; --list shows them");
    return 2;
}

string root = RepositoryRoot();
string appliance = Path.GetFullPath(options.AppliancePath is { Length: > 0 } given ? given
    : Environment.GetEnvironmentVariable("APPLIANCE_BIN") is { Length: > 0 } fromEnvironment ? fromEnvironment
    : Path.Combine(root, "artifacts", "publish", "appliance"));
if (!File.Exists(appliance))
{
    Console.Error.WriteLine($"appliance binary not found: '{appliance}' (publish it: dotnet publish src/Appliance -c Release -r linux-x64 -o artifacts/publish)");
    return 2;
}
options = options with
{
    AppliancePath = appliance,
    OutputDirectory = options.OutputDirectory is { Length: > 0 } o ? o : Path.Combine(root, "perf", "results"),
};
// Thousands of client sockets, plus the in-process origins' (500 listeners for routing): the default
// soft limit of 1,024 is not enough. Raising up to the hard limit needs no privilege.
var (limit, hardLimit) = Appliance.Native.FileLimit.Get();
if (limit < 65536) _ = Appliance.Native.FileLimit.RaiseTo(Math.Min(65536UL, hardLimit));

var selected = Catalog.All.Where(s => options.Scenarios.Count == 0 || options.Scenarios.Contains(s.Id)).ToList();
string directory = Directory.CreateTempSubdirectory("appliance-load-").FullName;
Console.WriteLine($"appliance-load: {selected.Count} scenario(s), {options.Seconds} s each; appliance {appliance}; run directory {directory}");
var started = DateTimeOffset.Now;
var clock = Stopwatch.StartNew();
var results = new List<ScenarioResult>();
using (var bench = new Bench(options, directory))
{
    foreach (Scenario scenario in selected)
    {
        Console.WriteLine($"== {scenario.Id}: {scenario.Title}");
        ScenarioResult result;
        try
        {
            result = scenario.Run(bench);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or System.Net.Sockets.SocketException)
        {
            result = new ScenarioResult(scenario.Id, scenario.Title, "did not run", new Appliance.Load.Client.Measured([], 0), [], [e.Message]);
        }
        results.Add(result);
        var m = result.Figures;
        Console.WriteLine($"   {(result.Passed ? "pass" : "FAIL")}: {m.Ok:N0} ok ({m.PerSecond:N0}/s, {m.MiBPerSecond:N1} MiB/s verified), " +
                          $"p50 {m.Ms(50):0.000} p99 {m.Ms(99):0.000} p99.9 {m.Ms(99.9):0.000} ms, errors {m.ErrorTotal}" +
                          (result.Passed ? "" : $"; {string.Join("; ", result.Failures)}"));
    }
}
var report = new LoadReport(options, started, clock.Elapsed, appliance, results);
foreach (string path in report.Write()) Console.WriteLine($"wrote {path}");
Console.WriteLine();
Console.WriteLine(report.Table());
int failed = results.Count(r => !r.Passed);
Console.WriteLine($"appliance-load: {results.Count - failed} passed, {failed} failed in {clock.Elapsed.TotalSeconds:N0} s");
return failed == 0 ? 0 : 1;

static string RepositoryRoot()
{
    foreach (string start in (string[])[Directory.GetCurrentDirectory(), AppContext.BaseDirectory])
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Appliance.sln"))) return dir.FullName;
        }
    }
    return Directory.GetCurrentDirectory();
}
