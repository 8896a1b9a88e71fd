namespace Appliance.IntegrationTests.Http;

/// <summary>
/// Backend connection reuse. Contract: requests that arrive on kept-alive client connections travel on kept-alive
/// backend connections, so the origin sees at most one connection per shard and concurrent client (HAProxy keeps
/// the server connection of a client session for its next request, and may share idle ones). Counted twice:
/// the distinct backend connections that carried requests (from the record), and every connection the origin
/// accepted (from <c>/stats</c>, minus the one asking), so idle extra connections count too.
/// </summary>
public sealed class KeepAliveTests(ITestOutputHelper output)
{
    private const int Shards = 2;

    [Fact]
    public void TwoHundredRequestsOnOneClientConnectionUseAtMostOneBackendConnectionPerShard()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, [origin], nbthread: Shards), output);
        using var connection = LoopbackConnection.Open(port);

        for (int i = 0; i < 200; i++)
        {
            connection.SendText(HttpRequests.Get($"/keepalive/{i}"));
            var response = HttpResponse.Read(connection);
            Assert.Equal((200, "app1"), (response.Status, response.BodyText));
            Assert.False(response.HasConnectionOption("close"), $"request {i} was answered with close:\n{response}");
        }

        AssertReuse(origin, requests: 200, maxConnections: Shards * 1);
    }

    [Fact]
    public async Task TenConcurrentClientConnectionsShareFewBackendConnections()
    {
        const int clients = 10;
        const int requestsEach = 20;
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, [origin], nbthread: Shards), output);

        var workers = Enumerable.Range(0, clients).Select(client => Task.Factory.StartNew(() =>
        {
            using var connection = LoopbackConnection.Open(port);
            for (int i = 0; i < requestsEach; i++)
            {
                connection.SendText(HttpRequests.Get($"/client{client}/{i}"));
                var response = HttpResponse.Read(connection);
                Assert.Equal((200, $"/client{client}/{i}"), (response.Status, response.Header("X-Request-Target")));
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(workers);

        AssertReuse(origin, requests: clients * requestsEach, maxConnections: Shards * clients);
    }

    private void AssertReuse(BackendProcess origin, int requests, int maxConnections)
    {
        var record = origin.ReadRecord();
        var stats = OriginStats.Fetch(origin.Port);
        long accepted = stats.Connections - 1;
        output.WriteLine($"{requests} requests over {record.ConnectionsCarryingRequests} backend connections ({accepted} accepted)");
        Assert.Equal(requests, record.Requests.Count);
        Assert.True(record.ConnectionsCarryingRequests <= maxConnections,
            $"{record.ConnectionsCarryingRequests} backend connections carried {requests} requests; at most {maxConnections} expected");
        Assert.True(accepted <= maxConnections, $"the origin accepted {accepted} connections; at most {maxConnections} expected");
    }
}
