namespace Appliance.Routing.Samples;

/// <summary>
/// <c>hdr_cnt([NAME])</c> / <c>req.hdr_cnt</c> (values, split at commas) and <c>req.fhdr_cnt</c>
/// (fields). Always present: an absent header counts 0.
/// </summary>
internal sealed class HeaderCountFetch : SampleFetch
{
    private readonly byte[] _name;
    private readonly bool _splitCommas;

    public HeaderCountFetch(string keyword, byte[] name, bool splitCommas)
    {
        Keyword = keyword;
        _name = name;
        _splitCommas = splitCommas;
    }

    public override string Keyword { get; }

    public override SampleType Type => SampleType.Integer;

    public override bool TryGetInteger(IRequestView request, out long value)
    {
        value = HeaderValues.Count(request, _name, _splitCommas);
        return true;
    }
}
