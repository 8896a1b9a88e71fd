namespace Appliance.IntegrationTests.Proxy;

/// <summary>
/// A <c>backup</c> server takes traffic only while every active server is DOWN, and gives it back once an
/// active one is UP again. DOWN/UP is the health checker's verdict (inter 200 ms, rise 2, fall 2), so each
/// phase waits for the proxy to notice instead of sleeping.
/// </summary>
public sealed class BackupServerTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StateChangeDeadline = TimeSpan.FromSeconds(10);

    [Fact]
    public void BackupServesOnlyWhileAllActiveServersAreDown()
    {
        using var scratch = new ScratchDirectory();
        using var app1 = BackendProcess.Start(BackendMode.Name, "app1");
        using var app2 = BackendProcess.Start(BackendMode.Name, "app2");
        using var app3 = BackendProcess.Start(BackendMode.Name, "app3");
        int port = FreePort.Next();
        var config = $"""
            {ConfigTemplates.Global(nbthread: 2)}
            {ConfigTemplates.TcpDefaults}

            frontend fe
                bind 127.0.0.1:{port}
                default_backend be

            backend be
                balance roundrobin
                server app1 {app1.Address} check inter 200ms rise 2 fall 2
                server app2 {app2.Address} check inter 200ms rise 2 fall 2
                server app3 {app3.Address} check inter 200ms rise 2 fall 2 backup
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output);

        WaitUntilSeen(port, "app1", "app2");
        AssertAllGoTo(port, 20, "app1", "app2");

        // One active down: the other active takes everything, the backup still nothing.
        app1.Kill();
        WaitUntilOnly(port, "app2");
        AssertAllGoTo(port, 20, "app2");

        // All actives down: now the backup serves.
        app2.Kill();
        WaitUntilOnly(port, "app3");
        AssertAllGoTo(port, 10, "app3");

        // Actives back: the backup is dropped again.
        app1.Restart();
        app2.Restart();
        WaitUntilSeen(port, "app1", "app2");
        AssertAllGoTo(port, 20, "app1", "app2");
    }

    /// <summary>Until each of <paramref name="servers"/> has answered at least once (others may answer meanwhile).</summary>
    private static void WaitUntilSeen(int port, params string[] servers)
    {
        var seen = new HashSet<string>();
        Eventually.True(
            () =>
            {
                if (BackendNameProbe.TryFetch(port) is { } server)
                {
                    seen.Add(server);
                }

                return seen.IsSupersetOf(servers);
            },
            StateChangeDeadline,
            $"{string.Join(" and ", servers)} answer through the proxy");
    }

    /// <summary>
    /// Until 6 connections in a row succeed on <paramref name="server"/>: with 2 shards each alternating on its own,
    /// 6 in a row cannot happen while another server is still in rotation.
    /// </summary>
    private static void WaitUntilOnly(int port, string server) =>
        Eventually.True(
            () => Enumerable.Range(0, 6).All(_ => BackendNameProbe.TryFetch(port) == server),
            StateChangeDeadline,
            $"only {server} receives connections");

    private static void AssertAllGoTo(int port, int connections, params string[] servers)
    {
        for (int i = 0; i < connections; i++)
        {
            var server = BackendNameProbe.Fetch(port);
            Assert.True(servers.Contains(server), $"connection {i} went to {server}, expected {string.Join(" or ", servers)}");
        }
    }
}
