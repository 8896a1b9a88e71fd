using System.Text;
using Appliance.Http;
using Appliance.Routing;

namespace Appliance.Benchmarks.Fixtures;

/// <summary>
/// A request head held in its own buffer and parsed into a reused <see cref="RequestHead"/>, exposed to
/// routing the way <c>HttpSession</c> exposes its connection buffer: every <see cref="IRequestView"/>
/// member slices the buffer through the head's ranges (no copy, no allocation).
/// </summary>
public sealed class ParsedRequest : IRequestView
{
    private static readonly byte[] Client = [192, 0, 2, 10];

    public ParsedRequest(string text)
    {
        Buffer = Encoding.ASCII.GetBytes(text);
        Parse();
    }

    public byte[] Buffer { get; }

    public RequestHead Head { get; } = new();

    /// <summary>Parses <see cref="Buffer"/> again from scratch; throws when the head is not complete and valid.</summary>
    public int Parse()
    {
        Head.Reset();
        HeadParseResult result = Http1HeadParser.ParseRequest(Buffer, Head);
        if (!result.IsComplete) throw new InvalidOperationException($"sample request does not parse: {result}");
        return result.Consumed;
    }

    public ReadOnlySpan<byte> Method => Head.MethodToken.Of(Buffer);

    public ReadOnlySpan<byte> Url => Head.Target.Of(Buffer);

    public ReadOnlySpan<byte> Path => Head.Path.Of(Buffer);

    public bool HasQuery => Head.HasQuery;

    public ReadOnlySpan<byte> Query => Head.Query.Of(Buffer);

    public int HeaderFieldCount => Head.Headers.Length;

    public ReadOnlySpan<byte> HeaderFieldName(int index) => Head.Headers[index].Name.Of(Buffer);

    public ReadOnlySpan<byte> HeaderFieldValue(int index) => Head.Headers[index].Value.Of(Buffer);

    public ReadOnlySpan<byte> SourceAddress => Client;
}
