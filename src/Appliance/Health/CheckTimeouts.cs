using Appliance.Config.Model;

namespace Appliance.Health;

/// <summary>
/// Deadlines of one check, following HAProxy's <c>timeout check</c> rules: without <c>timeout check</c>
/// the whole check (connect and response) must finish within <c>inter</c>; with it, the connect is
/// bounded by min(<c>timeout connect</c>, <c>inter</c>) and the response, once connected, by
/// <c>timeout check</c>. Plain <c>inter</c> is used even while <c>fastinter</c>/<c>downinter</c> pace
/// the checks, as HAProxy does.
/// </summary>
/// <param name="Connect">From the start of the check to an established connection.</param>
/// <param name="Response">
/// From connection to verdict; null means "whatever is left of <see cref="Connect"/>" (no
/// <c>timeout check</c>). TCP connect checks have no response phase.
/// </param>
public readonly record struct CheckTimeouts(TimeSpan Connect, TimeSpan? Response)
{
    public static CheckTimeouts For(ServerConfig server, Timeouts backendTimeouts)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(backendTimeouts);
        TimeSpan inter = server.EffectiveInter;
        if (backendTimeouts.Check is not { } check) return new CheckTimeouts(inter, null);
        TimeSpan connect = backendTimeouts.Connect is { } c && c < inter ? c : inter;
        return new CheckTimeouts(connect, check);
    }
}
