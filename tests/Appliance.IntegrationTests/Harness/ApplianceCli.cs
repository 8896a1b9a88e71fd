namespace Appliance.IntegrationTests.Harness;

/// <summary>Runs <c>appliance</c> commands that are expected to finish on their own (<c>check</c>, refusals).</summary>
public static class ApplianceCli
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Runs to completion; a process still running after <paramref name="timeout"/> is killed and fails the test.</summary>
    public static FinishedProcess Run(IReadOnlyList<string> arguments, string workingDirectory, TimeSpan? timeout = null)
    {
        using var process = ChildProcess.Start(TestBinaries.Appliance, arguments, workingDirectory);
        var limit = timeout ?? DefaultTimeout;
        if (!process.WaitForExit(limit))
        {
            process.KillTree();
            Assert.Fail($"'{process.Description}' still running after {limit.TotalSeconds:0.#} s.\n" +
                        $"--- stderr ---\n{process.Stderr.Text}\n--- stdout ---\n{process.Stdout.Text}");
        }

        return new FinishedProcess(process.ExitCode, process.Stdout.Snapshot(), process.Stderr.Snapshot());
    }

    public static FinishedProcess Check(string configPath) =>
        Run(["check", "-f", configPath], Path.GetDirectoryName(configPath)!);
}
