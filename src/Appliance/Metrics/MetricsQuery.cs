using System.Text;

namespace Appliance.Metrics;

/// <summary>
/// The query string of a scrape, read as HAProxy's exporter reads it: any <c>scope=</c> parameter
/// replaces the default (everything) with the union of the named scopes — <c>global</c>,
/// <c>frontend</c>, <c>backend</c>, <c>server</c>, <c>*</c> for all — and an empty <c>scope=</c> adds
/// nothing, so <c>?scope=</c> alone returns an empty exposition. <c>listener</c> is accepted and adds
/// nothing (there are no listener metrics here). A <c>scope</c> without a value or with an unknown
/// one is a bad request; other parameters are ignored.
/// </summary>
internal static class MetricsQuery
{
    /// <summary>Parses <paramref name="query"/> (without the '?'); false for a bad request.</summary>
    public static bool TryParse(ReadOnlySpan<byte> query, out MetricsScope scope)
    {
        scope = MetricsScope.All;
        bool scoped = false;
        while (!query.IsEmpty)
        {
            int end = query.IndexOfAny((byte)'&', (byte)'#');
            ReadOnlySpan<byte> parameter = end < 0 ? query : query[..end];
            bool fragment = end >= 0 && query[end] == (byte)'#';
            query = end < 0 || fragment ? default : query[(end + 1)..];
            int equals = parameter.IndexOf((byte)'=');
            string key = Decode(equals < 0 ? parameter : parameter[..equals]);
            if (key == "scope")
            {
                if (!scoped) scope = MetricsScope.None;
                scoped = true;
                if (equals < 0) return false;
                MetricsScope? named = Decode(parameter[(equals + 1)..]) switch
                {
                    "" => MetricsScope.None,
                    "*" => MetricsScope.All,
                    "global" => MetricsScope.Global,
                    "frontend" => MetricsScope.Frontend,
                    "backend" => MetricsScope.Backend,
                    "server" => MetricsScope.Server,
                    "listener" => MetricsScope.None,
                    _ => null,
                };
                if (named is not { } value) return false;
                scope |= value;
            }
            if (fragment) break;
        }
        return true;
    }

    /// <summary>Percent-decoding with '+' as space, as a query string; malformed escapes stay as they are.</summary>
    private static string Decode(ReadOnlySpan<byte> text)
    {
        var decoded = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            byte b = text[i];
            if (b == (byte)'+') decoded.Append(' ');
            else if (b == (byte)'%' && i + 2 < text.Length && IsHex(text[i + 1]) && IsHex(text[i + 2]))
            {
                decoded.Append((char)(Hex(text[i + 1]) * 16 + Hex(text[i + 2])));
                i += 2;
            }
            else decoded.Append((char)b);
        }
        return decoded.ToString();
    }

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int Hex(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
