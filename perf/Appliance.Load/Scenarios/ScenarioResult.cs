using Appliance.Load.Client;

namespace Appliance.Load.Scenarios;

/// <summary>One scenario's outcome: the load it put, what was measured, and whether its expectations held.</summary>
internal sealed record ScenarioResult(
    string Id, string Title, string Load, Measured Figures, IReadOnlyList<string> Notes, IReadOnlyList<string> Failures)
{
    public bool Passed => Failures.Count == 0;
}
