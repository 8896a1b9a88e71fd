namespace Appliance.Routing.Samples;

/// <summary>
/// <c>hdr(NAME[,OCC])</c>, <c>req.hdr</c> (values split at commas) and <c>req.fhdr</c> (whole
/// fields). In an ACL with no occurrence every value is tried; with an occurrence (1 = first,
/// -1 = last) only that one. In a sample expression the default occurrence is the last (-1).
/// </summary>
internal sealed class HeaderFetch : SampleFetch
{
    public HeaderFetch(string keyword, byte[] name, int occurrence, bool splitCommas)
    {
        Keyword = keyword;
        Name = name;
        Occurrence = occurrence;
        SplitCommas = splitCommas;
    }

    public override string Keyword { get; }

    /// <summary>Header name as written (compared case-insensitively); empty = every header.</summary>
    public byte[] Name { get; }

    /// <summary>0 = every value (ACL default), otherwise the selected one.</summary>
    public int Occurrence { get; }

    public bool SplitCommas { get; }

    public override SampleType Type => SampleType.String;

    public override bool TryGetValue(IRequestView request, out ReadOnlySpan<byte> value) =>
        HeaderValues.TryGet(request, Name, Occurrence == 0 ? -1 : Occurrence, SplitCommas, out value);

    public override bool AnyValue(IRequestView request, IStringSampleSink sink)
    {
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
}
