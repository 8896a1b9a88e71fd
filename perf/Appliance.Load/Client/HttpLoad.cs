using System.Net;

namespace Appliance.Load.Client;

/// <summary>
/// What the HTTP workers do: <see cref="Connections"/> connections, closed model (each sends its next
/// request when the previous answer is complete) when <see cref="Rate"/> is 0, else open model (together
/// <see cref="Rate"/> requests/s on a fixed schedule, latency from the scheduled time).
/// </summary>
internal sealed record HttpLoad(
    IPEndPoint Target, IReadOnlyList<RequestPlan> Plans, int Connections, int Rate, TimeSpan Duration, TimeSpan Timeout,
    IReadOnlySet<int> AcceptedStatuses)
{
    /// <summary>Hard cap per worker, in case the duration is huge and the target infinitely fast.</summary>
    public const long MaxRequestsPerWorker = 50_000_000;

    public bool OpenModel => Rate > 0;
}
