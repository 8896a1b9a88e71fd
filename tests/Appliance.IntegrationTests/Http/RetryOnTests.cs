namespace Appliance.IntegrationTests.Http;

/// <summary>
/// <c>retry-on</c>: a bodiless idempotent request that fails at one server (here: a server that
/// answers with junk — an echo process sends the request back) is replayed on another with
/// <c>option redispatch</c>; without <c>retry-on</c> the client sees the 502.
/// </summary>
public sealed class RetryOnTests(ITestOutputHelper output)
{
    [Fact]
    public void JunkResponsesAreRetriedOnAnotherServerWhenRetryOnAsksForIt()
    {
        using var scratch = new ScratchDirectory();
        using var junk = BackendProcess.Start(BackendMode.Echo, "junk");
        using var good = BackendProcess.StartRecordingOrigin(scratch, "good");
        int port = FreePort.Next();
        var config = ConfigTemplates.HttpToServers(port, [junk, good],
            backendLines: "retries 1\noption redispatch\nretry-on conn-failure junk-response");
        using var proxy = ApplianceProcess.Start(scratch, config, output);

        for (int i = 0; i < 6; i++)
        {
            var response = HttpExchange.Send(port, HttpRequests.Get($"/r{i}", close: true));
            Assert.True(response.Status == 200, $"request {i}: {response}");
            Assert.Equal("good", response.Header("X-Backend"));
        }
    }

    [Fact]
    public void WithoutRetryOnAJunkResponseIsA502()
    {
        using var scratch = new ScratchDirectory();
        using var junk = BackendProcess.Start(BackendMode.Echo, "junk");
        int port = FreePort.Next();
        var config = ConfigTemplates.HttpToServers(port, [junk], backendLines: "retries 1\noption redispatch");
        using var proxy = ApplianceProcess.Start(scratch, config, output);

        var response = HttpExchange.Send(port, HttpRequests.Get("/once", close: true));
        HaproxyErrorPage.AssertIsClosing(502, response);
    }
}
