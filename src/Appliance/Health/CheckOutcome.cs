namespace Appliance.Health;

/// <summary>What one check concluded. The prober measures the duration itself, the same way for every kind.</summary>
/// <param name="Status">The verdict.</param>
/// <param name="Info">Detail for the log and stats, e.g. <c>Connection refused</c>; null when none.</param>
/// <param name="Code">
/// The HTTP status an HTTP check judged, reported (as HAProxy does) with <c>L7OK</c> and <c>L7STS</c>
/// verdicts; null otherwise.
/// </param>
public readonly record struct CheckOutcome(CheckStatus Status, string? Info = null, int? Code = null)
{
    public bool Passed => Status.Passed;
}
