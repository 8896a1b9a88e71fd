namespace Appliance.Routing.Samples;

/// <summary>
/// <c>base</c>: the first Host header value followed by the path (just the path when there is no
/// Host header), assembled in the shard's scratch buffer.
/// </summary>
internal sealed class BaseFetch : SampleFetch
{
    private static readonly byte[] HostName = "host"u8.ToArray();

    public static BaseFetch Instance { get; } = new();

    public override string Keyword => "base";

    public override SampleType Type => SampleType.String;

    public override bool TryGetValue(IRequestView request, out ReadOnlySpan<byte> value)
    {
        ReadOnlySpan<byte> path = request.Path;
        if (!HeaderValues.TryGet(request, HostName, 1, splitCommas: true, out ReadOnlySpan<byte> host))
        {
            value = path;
            return true;
        }
        Span<byte> joined = SampleScratch.Sample(host.Length + path.Length);
        host.CopyTo(joined);
        path.CopyTo(joined[host.Length..]);
        value = joined;
        return true;
    }
}
