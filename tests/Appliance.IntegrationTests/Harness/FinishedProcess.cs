namespace Appliance.IntegrationTests.Harness;

/// <summary>What a short-lived command left behind.</summary>
public sealed record FinishedProcess(int ExitCode, IReadOnlyList<string> Stdout, IReadOnlyList<string> Stderr)
{
    /// <summary>Both streams: the contract names what is printed, not always on which stream.</summary>
    public IEnumerable<string> AllLines => Stdout.Concat(Stderr);

    public override string ToString() =>
        $"exit {ExitCode}\n--- stdout ---\n{string.Join('\n', Stdout)}\n--- stderr ---\n{string.Join('\n', Stderr)}";
}
