using System.Diagnostics;

namespace Appliance.IntegrationTests.Http;

/// <summary>
/// Every error status the proxy produces itself, provoked for real. Contract: the answer is HAProxy's built-in page
/// for that status (status line, <c>text/html</c>, <c>no-cache</c>, <c>&lt;h1&gt;CODE REASON&lt;/h1&gt;</c>); after
/// 400, 408 and 431 it says <c>connection: close</c> and the connection is closed; after 502, 503 and 504 the
/// connection closes or stays usable, as its <c>Connection</c> field says (HAProxy 2.2+ keeps it); a request
/// the proxy refused never reaches an origin.
/// <list type="bullet">
/// <item>400: a malformed request (one case here; the rules are in <see cref="SmugglingTests"/>).</item>
/// <item>408: a head not complete within <c>timeout http-request</c>.</item>
/// <item>431: a head larger than <c>tune.bufsize</c> (16 KiB by default); a 12 KiB head still passes. HAProxy 2.6
///   answers 400 here; later HAProxy versions have the 431 page this contract asks for.</item>
/// <item>502: an invalid response (<c>/garbage</c>), or a server that closes without answering (<c>/drop</c>).</item>
/// <item>503: no server up in the chosen backend, or no backend chosen at all.</item>
/// <item>504: no response within <c>timeout server</c> (<c>/hang</c>).</item>
/// </list>
/// </summary>
public sealed class ErrorStatusTests(ITestOutputHelper output)
{
    // Timeout tests measure how long the proxy waited: not before the timeout (minus timer slack), and not
    // absurdly later (a loaded 2-core machine delays timers, so the upper bound is generous).
    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(150);
    private static readonly TimeSpan LateLimit = TimeSpan.FromSeconds(5);

    [Fact]
    public void AMalformedRequestGets400()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, [origin]), output);
        using var connection = LoopbackConnection.Open(port);

        connection.SendText("GET /refused HTTP/1.1\r\nHost: appliance.test\r\nBad Header: x\r\n\r\n");

        HaproxyErrorPage.AssertIsClosing(400, HttpResponse.Read(connection));
        HttpExchange.AssertClosedByPeer(connection, "after the 400");
        Assert.DoesNotContain(origin.ReadRecord().Events, e => e.IsRequestActivity);
    }

    [Fact]
    public void AHeadNotCompleteWithinTimeoutHttpRequestGets408()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        var config = ConfigTemplates.HttpToServers(port, [origin], frontendLines: "timeout http-request 1s");
        using var proxy = ApplianceProcess.Start(scratch, config, output);
        using var connection = LoopbackConnection.Open(port);

        var clock = Stopwatch.StartNew();
        connection.SendText("GET /slowloris HTTP/1.1\r\nHost: appliance.test\r\nX-Partial: ");
        var response = HttpResponse.Read(connection);
        var waited = clock.Elapsed;

        HaproxyErrorPage.AssertIsClosing(408, response);
        HttpExchange.AssertClosedByPeer(connection, "after the 408");
        Assert.InRange(waited, TimeSpan.FromSeconds(1) - TimerSlack, TimeSpan.FromSeconds(1) + LateLimit);
        Assert.DoesNotContain(origin.ReadRecord().Events, e => e.IsRequestActivity);
    }

    [Fact]
    public void AHeadLargerThanTheBufferGets431WhileA12KiBHeadPasses()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, [origin]), output);

        var fits = HttpExchange.Send(port, HttpRequests.Get("/fits", close: true, fields: "X-Large: " + new string('a', 12 * 1024)));
        using var connection = LoopbackConnection.Open(port);
        connection.SendText(HttpRequests.Get("/too-large", fields: "X-Large: " + new string('b', 20 * 1024)));
        var refused = HttpResponse.Read(connection);

        Assert.Equal(200, fits.Status);
        HaproxyErrorPage.AssertIsClosing(431, refused);
        HttpExchange.AssertClosedByPeer(connection, "after the 431");
        Assert.Empty(origin.ReadRecord().RequestActivityExcept("/fits"));
    }

    [Theory]
    [InlineData("/garbage")]
    [InlineData("/drop")]
    public void AnInvalidOrMissingResponseGets502(string path)
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, [origin]), output);
        using var connection = LoopbackConnection.Open(port);

        connection.SendText(HttpRequests.Get(path));
        var response = HttpResponse.Read(connection);

        HaproxyErrorPage.AssertIs(502, response, $"GET {path}");
        HttpExchange.AssertConnectionFieldHonoured(connection, response, HttpRequests.Get("/after"), $"after the 502 for {path}");
        // The request did reach the origin: the 502 is about its answer.
        Assert.Equal(path, origin.ReadRecord().Requests[0].Target);
    }

    [Fact]
    public void ABackendWithNoServerUpGets503()
    {
        using var scratch = new ScratchDirectory();
        int port = FreePort.Next();
        int nothingListens = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, $"""
            {ConfigTemplates.Global(nbthread: 1)}
            {ConfigTemplates.HttpDefaults}

            frontend fe
                bind 127.0.0.1:{port}
                default_backend be

            backend be
                server dead 127.0.0.1:{nothingListens} check inter 100ms fall 1 rise 1
            """, output);

        // Once the check has marked the only server down; before that a failed connect also ends in 503.
        var response = Eventually.Value(
            () => HttpExchange.Send(port, HttpRequests.Get("/", close: true)),
            r => r.Status == 503, TimeSpan.FromSeconds(10), "503 with the only server down");

        HaproxyErrorPage.AssertIs(503, response);
        Assert.Contains("No server is available to handle this request.", response.BodyText);
    }

    [Fact]
    public void NoMatchingBackendGets503()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, $"""
            {ConfigTemplates.Global(nbthread: 1)}
            {ConfigTemplates.HttpDefaults}

            frontend fe
                bind 127.0.0.1:{port}
                acl is_api path_beg /api/
                use_backend api if is_api

            backend api
                server app1 {origin.Address}
            """, output);
        using var connection = LoopbackConnection.Open(port);

        connection.SendText(HttpRequests.Get("/elsewhere"));
        var response = HttpResponse.Read(connection);

        HaproxyErrorPage.AssertIs(503, response);
        HttpExchange.AssertConnectionFieldHonoured(connection, response, HttpRequests.Get("/elsewhere/again"), "after the 503");
        Assert.Equal(200, HttpExchange.Send(port, HttpRequests.Get("/api/ok", close: true)).Status);
        Assert.Empty(origin.ReadRecord().RequestActivityExcept("/api/ok"));
    }

    [Fact]
    public void AServerSilentBeyondTimeoutServerGets504()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch,
            ConfigTemplates.HttpToServers(port, [origin], backendLines: "timeout server 1s"), output);
        using var connection = LoopbackConnection.Open(port);

        var clock = Stopwatch.StartNew();
        connection.SendText(HttpRequests.Get("/hang"));
        var response = HttpResponse.Read(connection);
        var waited = clock.Elapsed;

        HaproxyErrorPage.AssertIs(504, response);
        HttpExchange.AssertConnectionFieldHonoured(connection, response, HttpRequests.Get("/after"), "after the 504");
        Assert.InRange(waited, TimeSpan.FromSeconds(1) - TimerSlack, TimeSpan.FromSeconds(1) + LateLimit);
        // The proxy gives up on the server connection too: the origin sees it closed.
        long hung = origin.ReadRecord().Requests.Single(r => r.Target == "/hang").Connection;
        Eventually.True(() => origin.ReadRecord().Events.Any(e => e.Kind == OriginEvent.Closed && e.Connection == hung),
            TimeSpan.FromSeconds(5), "the origin's /hang connection is closed by the proxy");
    }
}
