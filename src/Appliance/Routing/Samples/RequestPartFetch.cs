namespace Appliance.Routing.Samples;

/// <summary><c>path</c>, <c>url</c>, <c>query</c> and <c>method</c>: one slice of the request line.</summary>
internal sealed class RequestPartFetch : SampleFetch
{
    private RequestPartFetch(string keyword, RequestPart part)
    {
        Keyword = keyword;
        Part = part;
    }

    public static RequestPartFetch Path { get; } = new("path", RequestPart.Path);

    public static RequestPartFetch Url { get; } = new("url", RequestPart.Url);

    public static RequestPartFetch Query { get; } = new("query", RequestPart.Query);

    public static RequestPartFetch Method { get; } = new("method", RequestPart.Method);

    public override string Keyword { get; }

    public RequestPart Part { get; }

    public override SampleType Type => SampleType.String;

    public override bool TryGetValue(IRequestView request, out ReadOnlySpan<byte> value)
    {
        switch (Part)
        {
            case RequestPart.Path:
                value = request.Path;
                return true;
            case RequestPart.Url:
                value = request.Url;
                return true;
            case RequestPart.Method:
                value = request.Method;
                return true;
            default:
                // HAProxy: no '?' → the fetch finds nothing; '?' at the end → an empty query.
                value = request.HasQuery ? request.Query : default;
                return request.HasQuery;
        }
    }

    internal enum RequestPart
    {
        Path,
        Url,
        Query,
        Method,
    }
}
