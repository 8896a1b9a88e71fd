using System.Net.Sockets;

namespace Appliance.IntegrationTests.Http;

/// <summary>
/// <c>Expect: 100-continue</c> (RFC 9110 section 10.1.1). Contract: a client that sends only the head gets an
/// interim <c>100 Continue</c> (relayed from the server, as HAProxy does, or produced by the proxy) without
/// sending a byte of body, then sends the body and gets the final answer; the origin receives the whole body.
/// </summary>
public sealed class ExpectContinueTests(ITestOutputHelper output)
{
    private static readonly TimeSpan InterimWait = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheClientGets100ContinueBeforeSendingTheBodyThenTheFinalAnswer(bool chunked)
    {
        const long length = 256 * 1024 + 9;
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, [origin]), output);
        using var connection = LoopbackConnection.Open(port);

        connection.SendText(HttpRequests.Head("PUT", "/sha",
            fields: ["Expect: 100-continue", chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {length}"]));
        Assert.True(connection.Socket.Poll(InterimWait, SelectMode.SelectRead),
            $"no answer within {InterimWait.TotalSeconds:0} s to a head with Expect: 100-continue");
        var interim = HttpResponse.Read(connection);
        Assert.Equal(100, interim.Status);
        if (chunked)
        {
            ChunkedBodyWriter.SendDeterministicStream(connection, length);
        }
        else
        {
            connection.SendDeterministicStream(length);
        }

        var final = HttpResponse.ReadFinal(connection);

        Assert.Equal(200, final.Status);
        Assert.Equal($"{length} {DeterministicByteStream.Sha256Hex(length)}", final.BodyText);
        Assert.Equal(length, Assert.Single(origin.ReadRecord().Requests).BodyLength);
    }
}
