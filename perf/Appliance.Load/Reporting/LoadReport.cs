using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Appliance.Load.Client;
using Appliance.Load.Scenarios;

namespace Appliance.Load.Reporting;

/// <summary>Writes OUT/NAME.md and OUT/NAME.json: one row per scenario, errors by kind, notes.</summary>
internal sealed class LoadReport(LoadOptions options, DateTimeOffset started, TimeSpan elapsed, string appliance, IReadOnlyList<ScenarioResult> results)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public IEnumerable<string> Write()
    {
        Directory.CreateDirectory(options.OutputDirectory);
        string basePath = Path.Combine(options.OutputDirectory, options.OutputName);
        File.WriteAllText(basePath + ".md", Markdown());
        File.WriteAllText(basePath + ".json", Json());
        return [basePath + ".md", basePath + ".json"];
    }

    public string Table()
    {
        var md = new StringBuilder();
        md.Append("| scenario | result | ok | ok/s | verified MiB/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors | statuses |\n");
        md.Append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
        foreach (ScenarioResult r in results)
        {
            Measured m = r.Figures;
            md.Append($"| {r.Id} | {(r.Passed ? "pass" : "**FAIL**")} | {m.Ok:N0} | {m.PerSecond:N0} | {m.MiBPerSecond:N1} | " +
                      $"{Ms(m.Ms(50))} | {Ms(m.Ms(90))} | {Ms(m.Ms(99))} | {Ms(m.Ms(99.9))} | {Ms(m.MaxMs)} | " +
                      $"{(m.ErrorTotal == 0 ? "0" : string.Join(", ", m.Errors.Select(e => $"{e.Key} {e.Value:N0}")))} | " +
                      $"{string.Join(", ", m.Statuses.Select(s => $"{s.Key}: {s.Value:N0}"))} |\n");
        }
        return md.ToString();
    }

    private string Markdown()
    {
        var md = new StringBuilder();
        md.Append($"# Appliance load scenarios, {started:yyyy-MM-dd HH:mm zzz}\n\n");
        md.Append($"- Command: `appliance-load {options.CommandLine}`\n");
        md.Append($"- Appliance: `{appliance}`; machine: {Environment.ProcessorCount} CPUs, Linux {Environment.OSVersion.Version}\n");
        md.Append($"- {results.Count} scenario(s) in {elapsed.TotalSeconds:N0} s; {results.Count(r => r.Passed)} passed, {results.Count(r => !r.Passed)} failed.\n");
        md.Append("- Every answer is verified: status, `X-Backend` (the origin that answered), Content-Length and every body byte. " +
                  "Latency: closed model from send to the last byte; open model from the scheduled send time (coordinated omission corrected).\n\n");
        md.Append(Table());
        foreach (ScenarioResult r in results)
        {
            Measured m = r.Figures;
            md.Append($"\n## {r.Id}: {r.Title}\n\n- Load: {r.Load}\n");
            md.Append($"- Expected: {Catalog.All.First(s => s.Id == r.Id).Expectation}\n");
            md.Append($"- Connections opened {m.Connects:N0}; stale keep-alive retries {m.StaleRetries:N0}; answers with Connection: close {m.ServerCloses:N0}\n");
            foreach (string note in r.Notes) md.Append($"- {note}\n");
            foreach (string failure in r.Failures) md.Append($"- **FAILED**: {failure}\n");
        }
        return md.ToString();
    }

    private string Json()
    {
        static JsonNode? N(double v) => double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 4)) : null;
        var root = new JsonObject
        {
            ["generated"] = started.ToString("O", Invariant),
            ["command"] = "appliance-load " + options.CommandLine,
            ["appliance"] = appliance,
            ["elapsedSeconds"] = Math.Round(elapsed.TotalSeconds, 1),
            ["settings"] = new JsonObject
            {
                ["seconds"] = options.Seconds, ["connections"] = options.Connections, ["rate"] = options.Rate, ["open"] = options.Open,
                ["timeoutSeconds"] = options.TimeoutSeconds, ["reloads"] = options.Reloads, ["streamMiB"] = options.StreamMiB,
            },
            ["scenarios"] = new JsonArray([.. results.Select(r =>
            {
                Measured m = r.Figures;
                var errors = new JsonObject();
                foreach (var (kind, n) in m.Errors) errors[kind.ToString()] = n;
                var statuses = new JsonObject();
                foreach (var (code, n) in m.Statuses) statuses[code.ToString(Invariant)] = n;
                return (JsonNode)new JsonObject
                {
                    ["id"] = r.Id, ["title"] = r.Title, ["load"] = r.Load, ["passed"] = r.Passed,
                    ["ok"] = m.Ok, ["seconds"] = N(m.Seconds), ["okPerSecond"] = N(m.PerSecond),
                    ["verifiedBytes"] = m.VerifiedBytes, ["verifiedMiBPerSecond"] = N(m.MiBPerSecond),
                    ["latencyMs"] = new JsonObject
                    {
                        ["p50"] = N(m.Ms(50)), ["p90"] = N(m.Ms(90)), ["p99"] = N(m.Ms(99)), ["p999"] = N(m.Ms(99.9)), ["max"] = N(m.MaxMs),
                    },
                    ["errors"] = errors, ["errorTotal"] = m.ErrorTotal, ["statuses"] = statuses,
                    ["connects"] = m.Connects, ["staleRetries"] = m.StaleRetries, ["serverCloses"] = m.ServerCloses,
                    ["notes"] = new JsonArray([.. r.Notes.Select(n => (JsonNode)n)]),
                    ["failures"] = new JsonArray([.. r.Failures.Select(f => (JsonNode)f)]),
                };
            })]),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static string Ms(double v) => double.IsFinite(v) ? v.ToString(v < 10 ? "0.000" : "N1", Invariant) : "–";
}
