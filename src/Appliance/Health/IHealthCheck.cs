using Appliance.Balancing;

namespace Appliance.Health;

/// <summary>
/// One kind of health check (<see cref="TcpConnectCheck"/>, <see cref="HttpCheck"/>). The
/// <see cref="HealthProber"/> owns scheduling, rise/fall, publishing and logging; a kind only performs
/// one check and reports a verdict, so adding a kind touches nothing else.
/// </summary>
public interface IHealthCheck
{
    /// <summary>
    /// Checks <paramref name="server"/> once within <paramref name="timeouts"/>. A server-side failure
    /// (refused, timed out, bad answer) is a failed <see cref="CheckOutcome"/>, not an exception. May
    /// throw <see cref="OperationCanceledException"/> only when <paramref name="stopping"/> fires. Must
    /// have closed every socket it opened by the time the task completes.
    /// </summary>
    Task<CheckOutcome> RunAsync(ServerState server, CheckTimeouts timeouts, CancellationToken stopping);
}
