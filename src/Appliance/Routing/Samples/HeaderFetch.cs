namespace Appliance.Routing.Samples;

/// <summary>
/// <c>hdr(NAME[,OCC])</c>, <c>req.hdr</c> / <c>res.hdr</c> (values split at commas) and <c>req.fhdr</c> /
/// <c>res.fhdr</c> (whole fields). In an ACL with no occurrence every value is tried; with an
/// occurrence (1 = first, -1 = last) only that one. In a sample expression the default occurrence is
/// the last (-1). <c>hdr</c> reads whichever message is evaluated (HAProxy: the request in request
/// rules, the response in response rules); a response rule's view shows the response headers as its
/// header fields, so one implementation serves both.
/// </summary>
internal sealed class HeaderFetch : SampleFetch
{
    public HeaderFetch(string keyword, byte[] name, int occurrence, bool splitCommas, SampleScope scope = SampleScope.Request)
    {
        Keyword = keyword;
        Name = name;
        Occurrence = occurrence;
        SplitCommas = splitCommas;
        Scope = scope;
    }

    public override string Keyword { get; }

    public override SampleScope Scope { get; }

    /// <summary>Header name as written (compared case-insensitively); empty = every header.</summary>
    public byte[] Name { get; }

    /// <summary>0 = every value (ACL default), otherwise the selected one.</summary>
    public int Occurrence { get; }

    public bool SplitCommas { get; }

    public override SampleType Type => SampleType.String;

    public override bool TryGetValue(IRequestView request, out ReadOnlySpan<byte> value)
    {
        value = default;
        return ReadsThisMessage(request) && HeaderValues.TryGet(request, Name, Occurrence == 0 ? -1 : Occurrence, SplitCommas, out value);
    }

    public override bool AnyValue(IRequestView request, IStringSampleSink sink)
    {
        if (!ReadsThisMessage(request)) return false;
        if (Occurrence != 0)
        {
            return HeaderValues.TryGet(request, Name, Occurrence, SplitCommas, out ReadOnlySpan<byte> one) && sink.Accept(one);
        }
        foreach (ReadOnlySpan<byte> value in HeaderValues.Enumerate(request, Name, SplitCommas))
        {
            if (sink.Accept(value)) return true;
        }
        return false;
    }

    /// <summary>
    /// <c>res.*</c> finds nothing in a request; conditions never ask (their compiler drops fetches out
    /// of scope), this guards sample expressions built elsewhere. A type test, no allocation.
    /// </summary>
    private bool ReadsThisMessage(IRequestView request) => Scope != SampleScope.Response || request is IResponseView;
}
