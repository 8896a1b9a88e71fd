using System.Globalization;

namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// The master CLI of an <c>appliance run -S SOCKET</c> process (<c>show proc</c>, <c>reload</c>, and runtime
/// commands passed to the serving worker), and <c>appliance reload -S SOCKET</c> as an operator runs it.
/// </summary>
public sealed class MasterControl(string socketPath)
{
    private readonly RuntimeApiClient _client = new(socketPath);

    public string SocketPath { get; } = socketPath;

    /// <summary><c>run</c> arguments that put the master CLI on <paramref name="scratch"/>'s <c>master.sock</c>.</summary>
    public static IReadOnlyList<string> Arguments(ScratchDirectory scratch) => ["-S", scratch.PathOf("master.sock")];

    public static MasterControl For(ScratchDirectory scratch) => new(scratch.PathOf("master.sock"));

    public string Send(string command, TimeSpan? timeout = null) => _client.Send(command, timeout);

    public ProcessTable ShowProc() => ProcessTable.Parse(Send("show proc"));

    /// <summary>Runs <c>appliance reload -S SOCKET</c> to completion.</summary>
    public FinishedProcess Reload(string workingDirectory, TimeSpan? timeout = null) =>
        ApplianceCli.Run(["reload", "-S", SocketPath], workingDirectory, timeout ?? TimeSpan.FromSeconds(60));

    /// <summary>Reloads and asserts success; returns the generation the command printed.</summary>
    public int ReloadOrFail(string workingDirectory)
    {
        var result = Reload(workingDirectory);
        Assert.True(result.ExitCode == 0, $"appliance reload failed: {result}");
        var line = result.Stdout.FirstOrDefault(l => l.StartsWith("reloaded: generation ", StringComparison.Ordinal))
                   ?? throw new Xunit.Sdk.XunitException($"no generation in the reload output: {result}");
        return int.Parse(line["reloaded: generation ".Length..].Split(' ')[0], CultureInfo.InvariantCulture);
    }
}

/// <summary>A parsed <c>show proc</c>: the master, the serving worker(s) and the old (draining) ones.</summary>
public sealed record ProcessTable(int MasterPid, IReadOnlyList<(int Pid, int Generation)> Workers,
    IReadOnlyList<(int Pid, int Generation)> OldWorkers, string Text)
{
    public static ProcessTable Parse(string text)
    {
        int master = 0;
        var workers = new List<(int, int)>();
        var old = new List<(int, int)>();
        List<(int, int)>? section = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("# workers", StringComparison.Ordinal)) section = workers;
            else if (line.StartsWith("# old workers", StringComparison.Ordinal)) section = old;
            else if (line.StartsWith("# starting workers", StringComparison.Ordinal)) section = null;
            else if (line.Length == 0 || line.StartsWith('#')) continue;
            else
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                int pid = int.Parse(fields[0], CultureInfo.InvariantCulture);
                int generation = int.Parse(fields[^1], CultureInfo.InvariantCulture);
                if (fields[1] == "master") master = pid;
                else section?.Add((pid, generation));
            }
        }

        return new ProcessTable(master, workers, old, text);
    }

    /// <summary>The one serving worker (fails if there is not exactly one).</summary>
    public (int Pid, int Generation) Serving =>
        Workers.Count == 1 ? Workers[0] : throw new Xunit.Sdk.XunitException($"expected one serving worker:\n{Text}");
}
