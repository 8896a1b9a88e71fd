namespace Appliance.Routing.Samples;

/// <summary>
/// <c>hdr_cnt([NAME])</c> / <c>req.hdr_cnt</c> / <c>res.hdr_cnt</c> (values, split at commas) and
/// <c>req.fhdr_cnt</c> / <c>res.fhdr_cnt</c> (fields). Always present: an absent header counts 0.
/// </summary>
internal sealed class HeaderCountFetch : SampleFetch
{
    private readonly byte[] _name;
    private readonly bool _splitCommas;

    public HeaderCountFetch(string keyword, byte[] name, bool splitCommas, SampleScope scope = SampleScope.Request)
    {
        Keyword = keyword;
        _name = name;
        _splitCommas = splitCommas;
        Scope = scope;
    }

    public override string Keyword { get; }

    public override SampleScope Scope { get; }

    public override SampleType Type => SampleType.Integer;

    public override bool TryGetInteger(IRequestView request, out long value)
    {
        // res.* counts nothing in a request (see HeaderFetch); a type test, no allocation.
        if (Scope == SampleScope.Response && request is not IResponseView)
        {
            value = 0;
            return false;
        }
        value = HeaderValues.Count(request, _name, _splitCommas);
        return true;
    }
}
