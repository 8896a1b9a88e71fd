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

    /// <summary>
    /// <c>mode http</c> with every timeout the HTTP tests rely on: short enough that a broken exchange fails fast,
    /// long enough never to cut a healthy 50 MiB transfer. Tests about a timeout override it in their section.
    /// </summary>
    public const string HttpDefaults = """
        defaults
            mode http
            timeout connect 1s
            timeout client 10s
            timeout server 10s
            timeout http-request 5s
            timeout http-keep-alive 5s
        """;

    /// <summary>
    /// One HTTP frontend on 127.0.0.1:<paramref name="port"/> whose default backend <c>be</c> balances round-robin
    /// over <paramref name="servers"/> (no health checks, so every server is up from the start):
    /// <code>
    /// global / nbthread N
    /// defaults / mode http, timeouts (HttpDefaults)
    /// frontend fe
    ///     bind 127.0.0.1:PORT
    ///     FRONTEND LINES
    ///     default_backend be
    /// backend be
    ///     BACKEND LINES
    ///     server NAME ADDRESS …
    /// </code>
    /// </summary>
    public static string HttpToServers(
        int port, IEnumerable<BackendProcess> servers, int nbthread = 1, string frontendLines = "", string backendLines = "") =>
        $"""
        {Global(nbthread)}
        {HttpDefaults}

        frontend fe
            bind 127.0.0.1:{port}
        {Indent(frontendLines)}
            default_backend be

        backend be
        {Indent(backendLines)}
        {ServerLines(servers)}
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

    private static string ServerLines(IEnumerable<BackendProcess> servers) =>
        string.Join('\n', servers.Select(server => $"    server {server.Name} {server.Address}"));

    private static string Indent(string lines) =>
        string.Join('\n', lines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => "    " + line.Trim()));
}
