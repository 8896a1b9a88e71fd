using System.Buffers;

namespace Appliance.Http;

/// <summary>
/// The byte classes of the HTTP/1.1 grammar (RFC 9110 §5.6, RFC 9112), as vectorised sets so a whole
/// method, field name or value is validated with one <c>IndexOfAnyExcept</c> instead of a byte loop.
/// Built once at type load; read-only afterwards, so every shard may use them.
/// </summary>
internal static class HttpCharacterClasses
{
    /// <summary><c>tchar</c>: what methods, field names, codings and connection options are made of.</summary>
    public static readonly SearchValues<byte> Token =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>
    /// Field value and reason-phrase bytes: HTAB, SP, VCHAR and obs-text. Everything else (NUL, CR, LF,
    /// other controls, DEL) is refused: those are what header-injection and smuggling tricks are made of.
    /// </summary>
    public static readonly SearchValues<byte> FieldValue = SearchValues.Create(FieldValueBytes());

    /// <summary>
    /// Request-target bytes: visible ASCII. Controls, spaces and non-ASCII are refused as in HAProxy's
    /// default mode; <c>#</c> too, since a fragment is not part of any request-target form (RFC 9112 §3.2)
    /// and a proxy and a server that disagree on where the path ends would route differently.
    /// </summary>
    public static readonly SearchValues<byte> RequestTarget = SearchValues.Create(RequestTargetBytes());

    /// <summary>
    /// Bytes of <c>uri-host [":" port]</c> (RFC 3986 reg-name / IP-literal): unreserved, sub-delims, '%',
    /// ':', '[' and ']'. '@' is absent on purpose: userinfo in an http authority is treated as an error
    /// (RFC 9110 §4.2.4).
    /// </summary>
    public static readonly SearchValues<byte> Authority =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=%:[]"u8);

    /// <summary>Scheme bytes after the first letter (RFC 3986 §3.1).</summary>
    public static readonly SearchValues<byte> SchemeTail =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-."u8);

    /// <summary>A replacement path: request-target bytes minus '?' (the query is kept separately).</summary>
    public static readonly SearchValues<byte> Path = SearchValues.Create(PathBytes());

    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t';

    /// <summary>The span without leading and trailing SP/HTAB (OWS).</summary>
    public static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> span)
    {
        int start = 0;
        while (start < span.Length && IsWhitespace(span[start])) start++;
        int end = span.Length;
        while (end > start && IsWhitespace(span[end - 1])) end--;
        return span[start..end];
    }

    public static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    /// <summary>The value of a hex digit, or -1.</summary>
    public static int HexValue(byte b)
    {
        if ((uint)(b - '0') <= 9) return b - '0';
        uint lower = (uint)(b | 0x20) - 'a';
        return lower <= 5 ? (int)lower + 10 : -1;
    }

    /// <summary>quoted-string content: qdtext (HTAB, SP, VCHAR except '"' and '\', obs-text).</summary>
    public static bool IsQuotedText(byte b) =>
        b == '\t' || b == ' ' || b == 0x21 || (b >= 0x23 && b <= 0x5B) || (b >= 0x5D && b <= 0x7E) || b >= 0x80;

    /// <summary>What may follow a backslash in a quoted-pair: HTAB, SP, VCHAR, obs-text.</summary>
    public static bool IsQuotedPairText(byte b) => b == '\t' || (b >= 0x20 && b != 0x7F);

    private static byte[] FieldValueBytes()
    {
        var bytes = new List<byte> { (byte)'\t' };
        for (int b = 0x20; b <= 0xFF; b++)
        {
            if (b != 0x7F) bytes.Add((byte)b);
        }
        return bytes.ToArray();
    }

    private static byte[] RequestTargetBytes()
    {
        var bytes = new List<byte>();
        for (int b = 0x21; b <= 0x7E; b++)
        {
            if (b != '#') bytes.Add((byte)b);
        }
        return bytes.ToArray();
    }

    private static byte[] PathBytes()
    {
        var bytes = new List<byte>();
        for (int b = 0x21; b <= 0x7E; b++)
        {
            if (b != '#' && b != '?') bytes.Add((byte)b);
        }
        return bytes.ToArray();
    }
}
