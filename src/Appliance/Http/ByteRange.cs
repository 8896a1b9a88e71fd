namespace Appliance.Http;

/// <summary>
/// A slice of a message buffer as (offset, length), relative to the start of the span that was parsed.
/// Heads store ranges instead of spans so they can live in a reusable object; <see cref="Of"/> turns a
/// range back into bytes given the same buffer.
/// </summary>
public readonly record struct ByteRange(int Start, int Length)
{
    public int End => Start + Length;

    public bool IsEmpty => Length == 0;

    /// <summary>The bytes of this range in <paramref name="buffer"/> (the span the head was parsed from).</summary>
    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> buffer) => buffer.Slice(Start, Length);
}
