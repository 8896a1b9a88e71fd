using System.Text;

namespace Appliance.IntegrationTests.Http;

/// <summary>
/// Broken chunked request bodies. The head is valid, so a streaming proxy may already have forwarded it when the
/// bad chunk arrives. Contract, checked in this order:
/// <list type="number">
/// <item>the client gets either HAProxy's 400 page or nothing, and in both cases the proxy closes the connection;</item>
/// <item>the proxy still serves a sentinel request afterwards (its round trip through the origin also gives the
///   origin time to record anything of the broken request still in flight);</item>
/// <item>if the head did reach the origin, the proxy aborted that backend connection too (the origin records it
///   closed, within a few seconds, while the request was still incomplete);</item>
/// <item>the origin never receives a complete request, nor the invalid chunk bytes (the proxy decodes and
///   validates chunks itself instead of passing them through: no <c>incomplete</c> record whose reason is a
///   chunk syntax error).</item>
/// </list>
/// </summary>
public sealed class ChunkErrorTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(10);

    /// <summary>Case name → the raw bytes (one char per byte). The theory takes only the name, so test names stay printable.</summary>
    private static readonly Dictionary<string, string> BrokenBodyBytes = new()
    {
        { "non-hex chunk size", "zz\r\nhello\r\n0\r\n\r\n" },
        { "negative chunk size", "-5\r\nhello\r\n0\r\n\r\n" },
        { "chunk size overflow", "fffffffffffffffffffff\r\nhello\r\n0\r\n\r\n" },
        { "control byte in chunk extension", "5;\u0001ext\r\nhello\r\n0\r\n\r\n" },
        { "space inside chunk extension", "5;a b\r\nhello\r\n0\r\n\r\n" },
        { "chunk data not followed by CRLF", "5\r\nhelloXY0\r\n\r\n" },
        { "bare LF after chunk size", "5\nhello\r\n0\r\n\r\n" },
    };

    public static TheoryData<string> BrokenBodies() => [.. BrokenBodyBytes.Keys];

    [Theory]
    [MemberData(nameof(BrokenBodies))]
    public void AbortsBothSidesAndNoCompleteRequestReachesTheOrigin(string rule)
    {
        var body = BrokenBodyBytes[rule];
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, [origin]), output);
        using var connection = LoopbackConnection.Open(port);

        connection.Send(Encoding.Latin1.GetBytes(HttpRequests.Head("POST", "/smuggled", fields: "Transfer-Encoding: chunked") + body));
        var (answer, closed) = HttpExchange.ReadUntilClosed(connection, CloseWait);

        // 1. A 400 page or nothing, then a close.
        Assert.True(closed, $"{rule}: connection still open after {CloseWait.TotalSeconds:0} s");
        if (answer.Length > 0)
        {
            var text = Encoding.Latin1.GetString(answer);
            Assert.True(ResponseStreamValidator.Validate(answer, out int responses) is null && responses == 1,
                $"{rule}: not exactly one complete response:\n{text}");
            Assert.Matches(@"^HTTP/1\.[01] 400 ", text);
            Assert.Contains("<h1>400 ", text, StringComparison.Ordinal);
        }

        // 2. Still serving.
        Assert.Equal(200, HttpExchange.Send(port, HttpRequests.Get("/sentinel", close: true)).Status);

        // 3. Wait for the origin to see the abort, if the head got there at all.
        var headsForwarded = origin.ReadRecord().Events
            .Where(e => e.Kind == OriginEvent.Head && e.Target == "/smuggled").Select(e => e.Connection).ToHashSet();
        Eventually.True(
            () => origin.ReadRecord().Events.Count(e => e.Kind == OriginEvent.Closed && headsForwarded.Contains(e.Connection)) == headsForwarded.Count,
            TimeSpan.FromSeconds(5),
            $"{rule}: the proxy closes the backend connection(s) {string.Join(", ", headsForwarded)} that carried the head");

        // 4. Never complete, never the broken bytes.
        var record = origin.ReadRecord();
        Assert.True(record.Requests.All(r => r.Target != "/smuggled"), $"{rule}: the origin got a complete request:\n{record}");
        var syntaxErrors = record.Events.Where(e => e.Kind == OriginEvent.Incomplete
            && !(e.Reason!.StartsWith("eof", StringComparison.Ordinal) || e.Reason.StartsWith("connection ended", StringComparison.Ordinal)));
        Assert.True(!syntaxErrors.Any(), $"{rule}: the invalid chunk reached the origin:\n{record}");

        output.WriteLine($"{rule}: {(answer.Length > 0 ? "400" : "closed without answer")}, head forwarded on {headsForwarded.Count} connection(s)");
    }
}
