using System.Runtime.CompilerServices;

namespace Appliance.Balancing;

/// <summary>
/// A <c>long[]</c> with 128 bytes of unused space on both sides, for state that one shard writes on
/// every pick. Pickers of different shards are often allocated back to back by the same thread; without
/// the padding their hot words could share a cache line (or an adjacent-line prefetch pair) and every
/// pick would bounce that line between cores.
/// </summary>
internal readonly struct PaddedLongArray
{
    private const int PaddingLongs = 16; // 128 bytes: two 64-byte lines, the adjacent-line prefetch unit

    private readonly long[] _items;

    public PaddedLongArray(int length) => _items = new long[length + 2 * PaddingLongs];

    public int Length => _items.Length - 2 * PaddingLongs;

    public ref long this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)index >= (uint)Length) ThrowIndexOutOfRange();
            return ref _items[index + PaddingLongs];
        }
    }

    public Span<long> AsSpan() => _items.AsSpan(PaddingLongs, Length);

    public Span<long> AsSpan(int start, int length) => AsSpan().Slice(start, length);

    private static void ThrowIndexOutOfRange() => throw new IndexOutOfRangeException();
}
