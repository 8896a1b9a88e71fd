namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// Config fragments several tests share. Each produces plain HAProxy dialect; tests with a more specific shape
/// write their whole config inline so the file under test is visible in the test itself.
/// </summary>
public static class ConfigTemplates
{
    /// <summary>
    /// Timeouts short enough to fail a broken connect quickly and long enough never to cut a healthy 100 MiB
    /// transfer on a loaded machine.
    /// </summary>
    public const string TcpDefaults = """
        defaults
            mode tcp
            timeout connect 1s
            timeout client 30s
            timeout server 30s
        """;

    /// <summary><c>global</c> with <c>nbthread</c> and, when given, an admin-level <c>stats socket</c>.</summary>
    public static string Global(int nbthread, string? statsSocketPath = null) =>
        statsSocketPath is null
            ? $"global\n    nbthread {nbthread}\n"
            : $"global\n    nbthread {nbthread}\n    stats socket {statsSocketPath} level admin\n";

    /// <summary>
    /// One TCP frontend on 127.0.0.1:<paramref name="port"/> forwarding to a single server:
    /// <code>
    /// global
    ///     nbthread N
    ///     stats socket PATH level admin
    /// defaults
    ///     mode tcp
    ///     timeout connect 1s / client 30s / server 30s
    /// frontend fe
    ///     bind 127.0.0.1:PORT
    ///     default_backend be
    /// backend be
    ///     server NAME ADDRESS
    /// </code>
    /// </summary>
    public static string TcpPassThrough(
        int port, BackendProcess server, int nbthread = 2, string? statsSocketPath = null) =>
        $"""
        {Global(nbthread, statsSocketPath)}
        {TcpDefaults}

        frontend fe
            bind 127.0.0.1:{port}
            default_backend be

        backend be
            server {server.Name} {server.Address}
        """;
}
