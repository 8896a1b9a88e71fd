namespace Appliance.Routing;

/// <summary>
/// Per-thread scratch memory for samples that cannot be a slice of the request (converted case,
/// <c>base</c> = host + path, a dynamic backend name, regex input as chars). Shards are threads, so a
/// thread-static buffer is shard-local without locks; it is allocated on a thread's first use and
/// grows only when a longer sample than ever before shows up, so steady-state routing allocates
/// nothing.
/// </summary>
/// <remarks>
/// Two byte buffers exist because a dynamic backend name is assembled in <see cref="Name"/> while each
/// of its <c>%[…]</c> samples is computed in <see cref="Sample"/>. A span from here is valid until the
/// next call for the same buffer on the same thread.
/// </remarks>
internal static class SampleScratch
{
    /// <summary>Initial size: a typical request head fits (HAProxy's default tune.bufsize is 16 KiB).</summary>
    private const int InitialSize = 4096;

    [ThreadStatic] private static byte[]? t_sample;
    [ThreadStatic] private static byte[]? t_name;
    [ThreadStatic] private static char[]? t_chars;

    public static Span<byte> Sample(int length) => Ensure(ref t_sample, length).AsSpan(0, length);

    public static Span<byte> Name(int length) => Ensure(ref t_name, length).AsSpan(0, length);

    /// <summary>The whole name buffer (for appending pieces of unknown total length).</summary>
    public static byte[] NameBuffer(int minimumLength) => Ensure(ref t_name, minimumLength);

    public static Span<char> Chars(int length)
    {
        char[]? chars = t_chars;
        if (chars is null || chars.Length < length)
        {
            chars = new char[Math.Max(InitialSize, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)length))];
            t_chars = chars;
        }
        return chars.AsSpan(0, length);
    }

    private static byte[] Ensure(ref byte[]? buffer, int length)
    {
        byte[]? current = buffer;
        if (current is null || current.Length < length)
        {
            byte[] grown = new byte[Math.Max(InitialSize, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)length))];
            if (current is not null) current.CopyTo(grown, 0);
            buffer = grown;
            current = grown;
        }
        return current;
    }
}
