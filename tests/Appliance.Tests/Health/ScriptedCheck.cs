using System.Collections.Concurrent;
using Appliance.Balancing;
using Appliance.Health;

namespace Appliance.Tests.Health;

/// <summary>A check kind whose verdicts the test sets per server; completes synchronously.</summary>
internal sealed class ScriptedCheck(ManualTimeProvider time) : IHealthCheck
{
    private readonly ConcurrentDictionary<string, CheckOutcome> _outcomes = new();

    public static readonly CheckOutcome Refused = new(CheckStatus.L4Connection, "Connection refused");
    public static readonly CheckOutcome Passed = new(CheckStatus.L4Ok);

    /// <summary>(server name, elapsed test time) of every check run.</summary>
    public ConcurrentQueue<(string Server, TimeSpan At)> Runs { get; } = new();

    /// <summary>How long each check takes, simulated by moving the clock.</summary>
    public TimeSpan Duration { get; set; }

    public void Set(string server, CheckOutcome outcome) => _outcomes[server] = outcome;

    public Task<CheckOutcome> RunAsync(ServerState server, CheckTimeouts timeouts, CancellationToken stopping)
    {
        Runs.Enqueue((server.Name, time.Elapsed));
        if (Duration > TimeSpan.Zero) time.Advance(Duration);
        return Task.FromResult(_outcomes.GetValueOrDefault(server.Name, Passed));
    }
}
