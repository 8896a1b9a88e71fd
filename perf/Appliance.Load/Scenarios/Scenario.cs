namespace Appliance.Load.Scenarios;

/// <summary>A named load scenario; <see cref="Run"/> starts its own appliance on the bench and measures.</summary>
internal sealed record Scenario(string Id, string Title, string Expectation, Func<Bench, ScenarioResult> Run);
