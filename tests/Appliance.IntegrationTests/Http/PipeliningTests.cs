namespace Appliance.IntegrationTests.Http;

/// <summary>
/// Pipelining (RFC 9112 section 9.3). Contract: requests written back to back on one connection, before any
/// answer, are all answered, in the order they were sent, even when consecutive requests go to different servers
/// and an earlier one is slower than a later one.
/// </summary>
public sealed class PipeliningTests(ITestOutputHelper output)
{
    [Fact]
    public void TenPipelinedRequestsGetTenResponsesInOrder()
    {
        using var scratch = new ScratchDirectory();
        using var origins = BackendGroup.StartRecordingOrigins(scratch, ["app1", "app2"]);
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, origins.Members), output);
        using var connection = LoopbackConnection.Open(port);
        // Round-robin alternates servers, so the slow first answer comes from one origin while the next requests
        // could already be answered by the other: only a proxy that keeps order passes.
        string[] targets = ["/slow/300", "/p/1", "/sha", "/headers", "/status/204", "/p/5", "/bytes/1000", "/slow/50", "/chunked/777", "/p/9"];

        connection.SendText(string.Concat(targets.Select(target => target == "/sha" ? HttpRequests.Post(target, "pipelined body") : HttpRequests.Get(target))));
        var responses = targets.Select(_ => HttpResponse.Read(connection)).ToArray();

        Assert.Equal(targets, responses.Select(r => r.Header("X-Request-Target")));
        Assert.Equal([200, 200, 200, 200, 204, 200, 200, 200, 200, 200], responses.Select(r => r.Status));
        Assert.StartsWith("14 ", responses[2].BodyText);
        Assert.Equal((1000L, DeterministicByteStream.Sha256Hex(1000)), (responses[6].BodyLength, responses[6].BodySha256));
        Assert.Equal((777L, DeterministicByteStream.Sha256Hex(777)), (responses[8].BodyLength, responses[8].BodySha256));
        Assert.Equal(10, origins.Members.Sum(origin => origin.ReadRecord().Requests.Count));
    }
}
