using System.Text;

namespace Appliance.Config.Keywords;

/// <summary>
/// What the words of a health check request may contain, checked when the file is read so that a check
/// never sends a malformed or header-injecting request (RFC 9110 §5.6.2 tokens, RFC 9112 request line).
/// </summary>
internal static class HttpCheckText
{
    private const string TokenSymbols = "!#$%&'*+-.^_`|~";

    /// <summary>A method or header name: one or more <c>tchar</c>.</summary>
    public static bool IsToken(string text)
    {
        if (text.Length == 0) return false;
        foreach (char c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !TokenSymbols.Contains(c, StringComparison.Ordinal)) return false;
        }
        return true;
    }

    /// <summary>A request target: visible ASCII, no spaces (they would split the request line).</summary>
    public static bool IsRequestTarget(string text)
    {
        if (text.Length == 0) return false;
        foreach (char c in text)
        {
            if (c is <= ' ' or >= '\x7f') return false;
        }
        return true;
    }

    /// <summary>The check speaks HTTP/1.x on a plain connection, so only these two versions make sense.</summary>
    public static bool IsVersion(string text) => text is "HTTP/1.0" or "HTTP/1.1";

    /// <summary>A header value: no CR, LF, NUL or other control but HTAB, which could end the header early.</summary>
    public static bool IsFieldValue(string text)
    {
        foreach (char c in text)
        {
            if ((c < ' ' && c != '\t') || c == '\x7f') return false;
        }
        return true;
    }

    /// <summary>
    /// HAProxy reads header values as log-format strings. Only the literal part of that language is
    /// supported: <c>%%</c> is one <c>%</c>, any other <c>%</c> (a <c>%[sample]</c> or a variable) is refused.
    /// </summary>
    public static bool TryLiteralLogFormat(string text, out string literal)
    {
        literal = text;
        if (!text.Contains('%', StringComparison.Ordinal)) return true;
        var result = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '%')
            {
                result.Append(text[i]);
                continue;
            }
            if (i + 1 >= text.Length || text[i + 1] != '%') return false;
            result.Append('%');
            i++;
        }
        literal = result.ToString();
        return true;
    }
}
