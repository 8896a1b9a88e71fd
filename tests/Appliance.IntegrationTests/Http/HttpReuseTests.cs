namespace Appliance.IntegrationTests.Http;

/// <summary>
/// <c>http-reuse</c>: which requests travel over an idle server connection another client connection
/// used. One shard, so every idle connection is within every request's reach. Requests are attributed
/// to server connections from the origin's record.
/// </summary>
public sealed class HttpReuseTests(ITestOutputHelper output)
{
    [Fact]
    public void AlwaysSendsFirstRequestsOverTheIdleConnection()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, [origin], backendLines: "http-reuse always"), output);

        for (int i = 0; i < 20; i++) CloseAfterOneRequest(port, $"/always/{i}");

        Assert.Equal(1, origin.ReadRecord().ConnectionsCarryingRequests);
    }

    [Fact]
    public void AggressiveSendsFirstRequestsOnlyOverConnectionsThatCarriedTwoRequests()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, [origin], backendLines: "http-reuse aggressive"), output);

        for (int i = 0; i < 5; i++) CloseAfterOneRequest(port, $"/before/{i}");
        using (var keptAlive = LoopbackConnection.Open(port))
        {
            for (int i = 0; i < 2; i++)
            {
                keptAlive.SendText(HttpRequests.Get($"/second/{i}"));
                Assert.Equal(200, HttpResponse.Read(keptAlive).Status);
            }
        }
        for (int i = 0; i < 5; i++) CloseAfterOneRequest(port, $"/after/{i}");

        var requests = origin.ReadRecord().Requests;
        // No idle connection had carried two requests: each first request opened its own.
        Assert.Equal(5, requests.Where(r => r.Target!.StartsWith("/before/")).Select(r => r.Connection).Distinct().Count());
        // The kept-alive client's second request made its connection proven: first requests now use it.
        var after = requests.Where(r => r.Target!.StartsWith("/after/")).Select(r => r.Connection).Distinct().ToList();
        Assert.Single(after);
        Assert.Contains(requests, r => r.Target == "/second/1" && r.Connection == after[0]);
    }

    [Fact]
    public void NeverKeepsEachClientConnectionOnItsOwnServerConnection()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, [origin], backendLines: "http-reuse never"), output);

        using (var a = LoopbackConnection.Open(port))
        using (var b = LoopbackConnection.Open(port))
        {
            // Interleaved: with sharing allowed, a's next request would take the connection b just released.
            for (int i = 0; i < 5; i++)
            {
                foreach (var (client, name) in new[] { (a, "a"), (b, "b") })
                {
                    client.SendText(HttpRequests.Get($"/{name}/{i}"));
                    Assert.Equal(200, HttpResponse.Read(client).Status);
                }
            }
        }

        var byConnection = origin.ReadRecord().Requests.GroupBy(r => r.Connection).ToList();
        foreach (var group in byConnection) output.WriteLine($"connection {group.Key}: {string.Join(' ', group.Select(r => r.Target))}");
        Assert.Equal(2, byConnection.Count);
        Assert.All(byConnection, group => Assert.Single(group.Select(r => r.Target!.Split('/')[1]).Distinct()));
        // Closed with the client connections that owned them.
        var deadline = DateTime.UtcNow.AddSeconds(2);
        while (OpenConnections(origin) > 0 && DateTime.UtcNow < deadline) Thread.Sleep(50);
        Assert.Equal(0, OpenConnections(origin));
    }

    [Fact]
    public void SafeSharesIdleConnectionsOnlyForLaterRequests()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, [origin]), output);

        using (var a = LoopbackConnection.Open(port))
        using (var b = LoopbackConnection.Open(port))
        {
            foreach (var (client, path) in new[] { (a, "/a/0"), (b, "/b/0"), (b, "/b/1") })
            {
                client.SendText(HttpRequests.Get(path));
                Assert.Equal(200, HttpResponse.Read(client).Status);
            }
        }

        var requests = origin.ReadRecord().Requests;
        long Of(string target) => requests.Single(r => r.Target == target).Connection;
        // b's first request opened its own connection although a's was idle; its second took a's (its own,
        // surplus to one request at a time, was reset when released).
        Assert.NotEqual(Of("/a/0"), Of("/b/0"));
        Assert.Equal(Of("/a/0"), Of("/b/1"));
    }

    private static void CloseAfterOneRequest(int port, string path)
    {
        using var connection = LoopbackConnection.Open(port);
        connection.SendText(HttpRequests.Get(path, close: true));
        Assert.Equal(200, HttpResponse.Read(connection).Status);
    }

    private static int OpenConnections(BackendProcess origin) => origin.ReadRecord().OpenConnections;
}
