namespace Appliance.Rules;

/// <summary>
/// Per-thread scratch for values the rules compose after their samples were evaluated (a
/// replace-header result built from a replacement that may itself sit in the sample scratch). Shards
/// are threads, so this is shard-local without locks; it grows only for a longer value than ever
/// before, so steady-state evaluation allocates nothing. A span is valid until the next call.
/// </summary>
internal static class RuleScratch
{
    /// <summary>Initial size: a typical header value fits.</summary>
    private const int InitialSize = 1024;

    [ThreadStatic] private static byte[]? t_value;

    public static Span<byte> Value(int length)
    {
        byte[]? buffer = t_value;
        if (buffer is null || buffer.Length < length)
        {
            buffer = new byte[Math.Max(InitialSize, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)length))];
            t_value = buffer;
        }
        return buffer.AsSpan(0, length);
    }
}
