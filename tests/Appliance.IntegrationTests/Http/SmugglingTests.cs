using System.Text;

namespace Appliance.IntegrationTests.Http;

/// <summary>
/// Request heads that could smuggle a second request past the proxy, or that are malformed, sent as raw bytes.
/// Contract (RFC 9112 sections 2.2, 3, 5, 6.1, 6.3; HAProxy's strict parser): each is answered with HAProxy's
/// 400 page, the connection is closed, and nothing reaches the origin. "Nothing" is checked on the origin's
/// record after a sentinel request (<c>/sentinel</c>) has gone through the same proxy to the same origin: the
/// record may hold the sentinel and nothing else, not even a partial head.
/// </summary>
public sealed class SmugglingTests(ITestOutputHelper output)
{
    private const string Host = "Host: appliance.test\r\n";

    /// <summary>Case name → the raw bytes (one char per byte). The theory takes only the name, so test names stay printable.</summary>
    private static readonly Dictionary<string, string> MalformedHeadBytes = new()
    {
        { "Content-Length then Transfer-Encoding", "POST /smuggled HTTP/1.1\r\n" + Host + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX" },
        { "Transfer-Encoding then Content-Length", "POST /smuggled HTTP/1.1\r\n" + Host + "Transfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\n0\r\n\r\nX" },
        { "two differing Content-Length fields", "POST /smuggled HTTP/1.1\r\n" + Host + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!" },
        { "differing Content-Length list", "POST /smuggled HTTP/1.1\r\n" + Host + "Content-Length: 5, 6\r\n\r\nhello!" },
        { "negative Content-Length", "POST /smuggled HTTP/1.1\r\n" + Host + "Content-Length: -1\r\n\r\n" },
        { "last coding not chunked", "POST /smuggled HTTP/1.1\r\n" + Host + "Transfer-Encoding: chunked, gzip\r\n\r\n5\r\nhello\r\n0\r\n\r\n" },
        { "obs-fold", "GET /smuggled HTTP/1.1\r\n" + Host + "X-Folded: a\r\n b\r\n\r\n" },
        { "obs-fold hiding Transfer-Encoding", "POST /smuggled HTTP/1.1\r\n" + Host + "Transfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n" },
        { "space before colon", "POST /smuggled HTTP/1.1\r\n" + Host + "Transfer-Encoding : chunked\r\n\r\n0\r\n\r\n" },
        { "tab before colon", "POST /smuggled HTTP/1.1\r\n" + Host + "Content-Length\t: 5\r\n\r\nhello" },
        { "NUL in field name", "GET /smuggled HTTP/1.1\r\n" + Host + "X-\0Name: v\r\n\r\n" },
        { "CR in field name", "GET /smuggled HTTP/1.1\r\n" + Host + "X-\rName: v\r\n\r\n" },
        { "NUL in field value", "GET /smuggled HTTP/1.1\r\n" + Host + "X-Value: a\0b\r\n\r\n" },
        { "CR in field value", "GET /smuggled HTTP/1.1\r\n" + Host + "X-Value: a\rb\r\n\r\n" },
        { "LF in field value", "GET /smuggled HTTP/1.1\r\n" + Host + "X-Value: a\nb\r\n\r\n" },
        { "control in field name", "GET /smuggled HTTP/1.1\r\n" + Host + "X-\u0001Name: v\r\n\r\n" },
        { "escape in field value", "GET /smuggled HTTP/1.1\r\n" + Host + "X-Value: a\u001bb\r\n\r\n" },
        { "DEL in field value", "GET /smuggled HTTP/1.1\r\n" + Host + "X-Value: a\u007fb\r\n\r\n" },
        { "separator in method", "G(T /smuggled HTTP/1.1\r\n" + Host + "\r\n" },
        { "control in method", "GE\u0001T /smuggled HTTP/1.1\r\n" + Host + "\r\n" },
        { "space in request-target", "GET /smug gled HTTP/1.1\r\n" + Host + "\r\n" },
        { "control in request-target", "GET /smug\u0001gled HTTP/1.1\r\n" + Host + "\r\n" },
        { "DEL in request-target", "GET /smug\u007fgled HTTP/1.1\r\n" + Host + "\r\n" },
        { "HTTP/0.9 request line", "GET /smuggled\r\n" },
        { "bare LF line endings", "GET /smuggled HTTP/1.1\nHost: appliance.test\n\n" },
        { "missing Host in HTTP/1.1", "GET /smuggled HTTP/1.1\r\n\r\n" },
        { "two Host fields", "GET /smuggled HTTP/1.1\r\n" + Host + "Host: other.test\r\n\r\n" },
    };

    public static TheoryData<string> MalformedHeads() => [.. MalformedHeadBytes.Keys];

    [Theory]
    [MemberData(nameof(MalformedHeads))]
    public void IsAnswered400AndClosedAndNothingReachesTheOrigin(string rule)
    {
        var raw = MalformedHeadBytes[rule];
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, [origin]), output);
        using var connection = LoopbackConnection.Open(port);

        // Latin-1: every char of the case is exactly one byte on the wire.
        connection.Send(Encoding.Latin1.GetBytes(raw));
        var response = HttpResponse.Read(connection);

        HaproxyErrorPage.AssertIsClosing(400, response, rule);
        HttpExchange.AssertClosedByPeer(connection, $"after the 400 for {rule}");
        var sentinel = HttpExchange.Send(port, HttpRequests.Get("/sentinel", close: true));
        Assert.Equal((200, "app1"), (sentinel.Status, sentinel.BodyText));
        var leaked = origin.ReadRecord().RequestActivityExcept("/sentinel");
        Assert.True(leaked.Count == 0, $"{rule}: the origin received bytes of the refused request:\n{string.Join('\n', leaked)}");
        Assert.False(proxy.HasExited, proxy.Diagnostics());
    }
}
