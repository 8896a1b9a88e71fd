namespace Appliance.Balancing;

/// <summary>
/// The last health check's outcome for a server, published whole by the prober so readers (metrics,
/// runtime API) never see half of one check and half of another.
/// </summary>
/// <param name="Status">HAProxy's short status code: <c>L4OK</c>, <c>L4CON</c>, <c>L4TOUT</c>, …</param>
/// <param name="Description">HAProxy's long wording: <c>Layer4 connection problem</c>, …</param>
/// <param name="Info">Detail such as <c>Connection refused</c>; null when there is none.</param>
/// <param name="Passed">Whether the check counts as a success.</param>
/// <param name="Duration">From the start of the check to its verdict.</param>
/// <param name="CompletedAt">When the verdict was reached.</param>
/// <param name="Code">HAProxy's <c>check_code</c>: the HTTP status behind an <c>L7OK</c>/<c>L7STS</c> verdict.</param>
public sealed record CheckReport(
    string Status,
    string Description,
    string? Info,
    bool Passed,
    TimeSpan Duration,
    DateTimeOffset CompletedAt,
    int? Code = null);
