namespace Appliance.Routing.Samples;

/// <summary>
/// A fetch followed by converters, evaluated as a single value (the <c>%[…]</c> of a dynamic
/// <c>use_backend</c>). Immutable; allocation-free.
/// </summary>
internal sealed class SampleExpression
{
    private readonly SampleConverter[] _converters;

    public SampleExpression(SampleFetch fetch, SampleConverter[] converters)
    {
        Fetch = fetch;
        _converters = converters;
    }

    public SampleFetch Fetch { get; }

    public ReadOnlySpan<SampleConverter> Converters => _converters;

    public bool TryEvaluate(IRequestView request, out ReadOnlySpan<byte> value)
    {
        if (!Fetch.TryGetValue(request, out value)) return false;
        foreach (SampleConverter converter in _converters)
        {
            if (!converter.TryConvert(value, out value)) return false;
        }
        return true;
    }
}
