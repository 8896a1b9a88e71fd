using System.Text;
using Appliance.Engine;
using Appliance.Forwarding.Http;
using Appliance.Http;
using Appliance.Native;

namespace Appliance.Tests.Forwarding;

/// <summary>
/// Consuming a request the proxy answers itself (so the connection can be kept): its head and its whole
/// body leave the buffer and what follows is the next request; a body not all received, or a malformed
/// chunk, says the stream cannot be read on. Bytes arrive over a real socket pair.
/// </summary>
public sealed unsafe class HttpRelaySkipMessageTests : IDisposable
{
    private const string Next = "GET /next HTTP/1.1\r\nHost: a\r\n\r\n";
    private const string Head = "POST /x HTTP/1.1\r\nHost: a\r\n\r\n";

    private readonly BufferPool _pool = new(maxIdle: 4);
    private readonly HttpRelay _relay = new();
    private readonly int _writer;
    private readonly int _reader;

    public HttpRelaySkipMessageTests()
    {
        Assert.Equal(0, UnixSocket.Pair(out _writer, out _reader));
    }

    public void Dispose()
    {
        _relay.Reset(_pool);
        Libc.Close(_writer);
        Libc.Close(_reader);
    }

    [Fact]
    public void ABodilessRequestLeavesTheNextOne()
    {
        Buffer(Head + Next);
        Assert.True(_relay.SkipMessage(Head.Length, new BodyFraming(BodyKind.None, 0)));
        Assert.Equal(Next, Buffered());
    }

    [Fact]
    public void AWholeBodyOfKnownLengthIsSkippedEvenWhenItLooksLikeARequest()
    {
        Buffer(Head + Next + Next);
        Assert.True(_relay.SkipMessage(Head.Length, new BodyFraming(BodyKind.ContentLength, Next.Length)));
        Assert.Equal(Next, Buffered());
    }

    [Fact]
    public void ABodyNotAllReceivedCannotBeSkipped()
    {
        Buffer(Head + "12345");
        Assert.False(_relay.SkipMessage(Head.Length, new BodyFraming(BodyKind.ContentLength, 10)));
    }

    [Fact]
    public void AWholeChunkedBodyIsSkippedUpToItsLastChunk()
    {
        Buffer(Head + "5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n" + Next);
        Assert.True(_relay.SkipMessage(Head.Length, new BodyFraming(BodyKind.Chunked, 0)));
        Assert.Equal(Next, Buffered());
    }

    [Fact]
    public void AnUnfinishedOrMalformedChunkedBodyCannotBeSkipped()
    {
        Buffer(Head + "5\r\nhello\r\n");
        Assert.False(_relay.SkipMessage(Head.Length, new BodyFraming(BodyKind.Chunked, 0)));

        _relay.Reset(_pool);
        Buffer(Head + "zz\r\nhello\r\n0\r\n\r\n" + Next);
        Assert.False(_relay.SkipMessage(Head.Length, new BodyFraming(BodyKind.Chunked, 0)));
    }

    private void Buffer(string text)
    {
        byte[] bytes = Encoding.ASCII.GetBytes(text);
        fixed (byte* p = bytes) Assert.Equal(bytes.Length, (int)Libc.Write(_writer, p, bytes.Length));
        Assert.Equal(bytes.Length, (int)_relay.Receive(_reader, _pool));
    }

    private string Buffered() => Encoding.ASCII.GetString(_relay.Data);
}
