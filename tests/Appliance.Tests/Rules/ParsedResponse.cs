using Appliance.Http;
using Appliance.Routing;

namespace Appliance.Tests.Rules;

/// <summary>A raw response head parsed by the proxy's parser, seen as <see cref="IResponseView"/>.</summary>
internal sealed class ParsedResponse : IResponseView
{
    private readonly byte[] _source;

    public ParsedResponse(string raw)
    {
        _source = Http.HttpText.Bytes(raw);
        Head = new ResponseHead();
        HeadParseResult result = Http1HeadParser.ParseResponse(_source, Head);
        Assert.True(result.IsComplete, $"response does not parse: {result}");
    }

    public ResponseHead Head { get; }

    public int StatusCode => Head.StatusCode;

    public int HeaderFieldCount => Head.Headers.Length;

    public ReadOnlySpan<byte> HeaderFieldName(int index) => Head.Headers[index].Name.Of(_source);

    public ReadOnlySpan<byte> HeaderFieldValue(int index) => Head.Headers[index].Value.Of(_source);

    public string Write(HeadEdits edits)
    {
        var destination = new byte[16384];
        Assert.True(HeadWriter.TryWriteResponse(_source, Head, HopByHopFields.None, edits, destination, out int written));
        return Http.HttpText.Text(destination.AsSpan(0, written));
    }
}
