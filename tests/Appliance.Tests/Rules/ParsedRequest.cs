using Appliance.Http;
using Appliance.Routing;

namespace Appliance.Tests.Rules;

/// <summary>
/// A raw request parsed by the proxy's own parser, seen as <see cref="IRequestView"/> the way the HTTP
/// session sees its buffer: every member slices the parsed bytes (no allocation).
/// </summary>
internal sealed class ParsedRequest : IRequestView
{
    private readonly byte[] _source;

    public ParsedRequest(string raw, string client = "192.0.2.10")
    {
        _source = Http.HttpText.Bytes(raw);
        Head = new RequestHead();
        HeadParseResult result = Http1HeadParser.ParseRequest(_source, Head);
        Assert.True(result.IsComplete, $"request does not parse: {result}");
        Client = System.Net.IPAddress.Parse(client).GetAddressBytes();
    }

    public RequestHead Head { get; }

    public byte[] Client { get; }

    public ReadOnlySpan<byte> Source => _source;

    public ReadOnlySpan<byte> Method => Head.MethodToken.Of(_source);

    public ReadOnlySpan<byte> Url => Head.Target.Of(_source);

    public ReadOnlySpan<byte> Path => Head.Path.Of(_source);

    public bool HasQuery => Head.HasQuery;

    public ReadOnlySpan<byte> Query => Head.Query.Of(_source);

    public int HeaderFieldCount => Head.Headers.Length;

    public ReadOnlySpan<byte> HeaderFieldName(int index) => Head.Headers[index].Name.Of(_source);

    public ReadOnlySpan<byte> HeaderFieldValue(int index) => Head.Headers[index].Value.Of(_source);

    public ReadOnlySpan<byte> SourceAddress => Client;

    /// <summary>The head as the session would forward it with <paramref name="edits"/> (hop-by-hop fields kept, to show every edit).</summary>
    public string Write(HeadEdits edits)
    {
        var destination = new byte[16384];
        Assert.True(HeadWriter.TryWriteRequest(_source, Head, HopByHopFields.None, edits, destination, out int written));
        return Http.HttpText.Text(destination.AsSpan(0, written));
    }
}
