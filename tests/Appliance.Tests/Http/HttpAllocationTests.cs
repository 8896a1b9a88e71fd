using Appliance.Tests.Support;
using Appliance.Http;

namespace Appliance.Tests.Http;

public sealed class HttpAllocationTests
{
    private static readonly byte[] Request =
        "POST http://example.com/api/items?id=42 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: load/1.0\r\n"u8
        .ToArray()
        .Concat("Accept: */*\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\nContent-Length: 5, 5\r\nX-Forwarded-For: 10.0.0.1\r\n\r\nhello"u8.ToArray())
        .ToArray();

    private static readonly byte[] Response =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nKeep-Alive: timeout=5\r\n\r\n5;x=y\r\nhello\r\n0\r\nX-T: 1\r\n\r\n"u8.ToArray();

    [Fact]
    public void Parsing_rewriting_and_decoding_allocate_nothing_per_request()
    {
        var request = new RequestHead();
        var response = new ResponseHead();
        var edits = new HeadEdits();
        var decoder = new ChunkedBodyDecoder();
        var destination = new byte[4096];

        long total = RunRequests(request, response, edits, decoder, destination, 100); // warm-up: JIT, statics
        long allocated = SteadyStateAllocation.Measure(() => total += RunRequests(request, response, edits, decoder, destination, 10_000));

        Assert.True(total > 0);
        Assert.Equal(0, allocated);
    }

    private static long RunRequests(RequestHead request, ResponseHead response, HeadEdits edits, ChunkedBodyDecoder decoder, byte[] destination, int count)
    {
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            request.Reset();
            HeadParseResult parsed = Http1HeadParser.ParseRequest(Request, request);
            if (!parsed.IsComplete) throw new InvalidOperationException(parsed.ToString());
            total += BodyFraming.ForRequest(request).Length;
            foreach (ReadOnlySpan<byte> value in request.ValuesOf(Request, "x-forwarded-for"u8)) total += value.Length;

            edits.Clear();
            edits.UseOriginForm = true;
            edits.TryReplacePath("/v2/items"u8);
            edits.TryAdd("X-Forwarded-For"u8, "192.0.2.10"u8);
            edits.TrySet("Connection"u8, "keep-alive"u8);
            if (!HeadWriter.TryWriteRequest(Request, request, HopByHopFields.Forwarding, edits, destination, out int written)) throw new InvalidOperationException();
            total += written;

            response.Reset();
            HeadParseResult answered = Http1HeadParser.ParseResponse(Response, response);
            total += BodyFraming.ForResponse(response, request.Method).Kind == BodyKind.Chunked ? 1 : 0;
            decoder.Reset();
            total += decoder.Advance(Response.AsSpan(answered.Consumed)).Consumed;
            edits.Clear();
            if (!HeadWriter.TryWriteResponse(Response, response, HopByHopFields.Forwarding, edits, destination, out written)) throw new InvalidOperationException();
            total += written;
        }
        return total;
    }
}
