using Appliance.Testing;

namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// A loopback port for a proxy to bind, free a moment ago and never handed out before in this test process
/// (two frontends on one port would both bind it with SO_REUSEPORT and share its connections). Chosen below the
/// kernel's ephemeral range (see <see cref="ListenPorts"/>), so a backend started on port 0 afterwards cannot
/// take it. Also serves as "a port where nothing listens".
/// </summary>
public static class FreePort
{
    private static readonly ListenPorts Ports = new();

    public static int Next() => Ports.Next();
}
