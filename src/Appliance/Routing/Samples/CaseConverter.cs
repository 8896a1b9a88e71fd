using Appliance.Routing.Patterns;

namespace Appliance.Routing.Samples;

/// <summary><c>lower</c> / <c>upper</c> (ASCII), written into the shard's scratch buffer.</summary>
internal sealed class CaseConverter : SampleConverter
{
    private readonly bool _upper;

    private CaseConverter(bool upper) => _upper = upper;

    public static CaseConverter Lower { get; } = new(false);

    public static CaseConverter Upper { get; } = new(true);

    public override string Keyword => _upper ? "upper" : "lower";

    public override bool TryConvert(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> output)
    {
        // The input may itself live in the scratch buffer (base, a previous converter): CopyTo is
        // overlap-safe, and a grown buffer leaves the old one readable while we copy.
        Span<byte> converted = SampleScratch.Sample(input.Length);
        input.CopyTo(converted);
        if (_upper) AsciiCase.UpperInPlace(converted);
        else AsciiCase.LowerInPlace(converted);
        output = converted;
        return true;
    }
}
