namespace Appliance.IntegrationTests.Http;

/// <summary>
/// <c>option forwardfor</c>. Contract, as HAProxy: the origin sees <c>X-Forwarded-For: &lt;client address&gt;</c>
/// (127.0.0.1 here) once per request; a value the client sent is kept in front of it (as an earlier field line
/// or comma-joined, both mean the same list); without the option, nothing is added.
/// </summary>
public sealed class ForwardedForTests(ITestOutputHelper output)
{
    [Fact]
    public void TheOriginSeesTheClientAddressAppendedToAnyExistingList()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch,
            ConfigTemplates.HttpToServers(port, [origin], frontendLines: "option forwardfor"), output);
        using var connection = LoopbackConnection.Open(port);

        connection.SendText(HttpRequests.Get("/headers") + HttpRequests.Get("/headers", fields: "X-Forwarded-For: 10.0.0.1"));
        var plain = HttpResponse.Read(connection);
        var chained = HttpResponse.Read(connection);

        var requests = origin.ReadRecord().Requests;
        Assert.Equal(["127.0.0.1"], requests[0].HeaderValues("X-Forwarded-For"));
        Assert.Equal("10.0.0.1, 127.0.0.1", ForwardedList(requests[1].HeaderValues("X-Forwarded-For")));
        // The /headers body is the same view from the origin's side of the wire.
        Assert.Contains("127.0.0.1", plain.BodyText);
        Assert.Contains("10.0.0.1", chained.BodyText);
    }

    [Fact]
    public void WithoutTheOptionNothingIsAdded()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, [origin]), output);

        HttpExchange.Send(port, HttpRequests.Get("/headers", close: true));

        Assert.Empty(Assert.Single(origin.ReadRecord().Requests).HeaderValues("X-Forwarded-For"));
    }

    private static string ForwardedList(IEnumerable<string> values) =>
        string.Join(", ", values.SelectMany(v => v.Split(',')).Select(v => v.Trim()));
}
