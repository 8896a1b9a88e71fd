namespace Appliance.Routing.Samples;

/// <summary>
/// A compiled converter of a sample expression (<c>lower</c>, <c>map_beg(FILE)</c>, …): string in,
/// string out, false when the conversion fails (the whole sample then does not exist).
/// Immutable; called from any shard.
/// </summary>
internal abstract class SampleConverter
{
    public abstract string Keyword { get; }

    public abstract bool TryConvert(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> output);
}
