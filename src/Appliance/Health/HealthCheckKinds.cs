using Appliance.Balancing;

namespace Appliance.Health;

/// <summary>Picks each backend's check kind for the <see cref="HealthProber"/>.</summary>
public static class HealthCheckKinds
{
    /// <summary>An <see cref="HttpCheck"/> when <c>option httpchk</c> applies to the backend, else a <see cref="TcpConnectCheck"/>.</summary>
    public static IHealthCheck For(BackendState backend) => For(backend, TimeProvider.System);

    /// <summary>Same, with the clock the checks' deadlines run on.</summary>
    public static IHealthCheck For(BackendState backend, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return backend.Config.HttpCheck is { } httpCheck ? new HttpCheck(httpCheck, time) : new TcpConnectCheck(time);
    }
}
