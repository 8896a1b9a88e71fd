namespace Appliance.Routing.Patterns;

/// <summary>
/// ASCII-only case folding, as HAProxy's <c>strncasecmp</c> in the C locale: only A–Z fold, every
/// other byte (including obs-text above 0x7F) compares as is. Folding a byte at a time lets lookups
/// compare and hash case-insensitively without a lower-cased copy of the request.
/// </summary>
internal static class AsciiCase
{
    public static byte Lower(byte value) => (uint)(value - 'A') <= 'Z' - 'A' ? (byte)(value | 0x20) : value;

    public static byte Upper(byte value) => (uint)(value - 'a') <= 'z' - 'a' ? (byte)(value & ~0x20) : value;

    public static bool Equal(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, bool ignoreCase)
    {
        if (!ignoreCase) return left.SequenceEqual(right);
        if (left.Length != right.Length) return false;
        for (int i = 0; i < left.Length; i++)
        {
            if (Lower(left[i]) != Lower(right[i])) return false;
        }
        return true;
    }

    public static void LowerInPlace(Span<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++) bytes[i] = Lower(bytes[i]);
    }

    public static void UpperInPlace(Span<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i++) bytes[i] = Upper(bytes[i]);
    }

    public static byte[] ToLowerCopy(ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        LowerInPlace(copy);
        return copy;
    }
}
