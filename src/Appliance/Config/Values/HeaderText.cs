namespace Appliance.Config.Values;

/// <summary>
/// What a header name or value written in the configuration may contain (RFC 9110 §5.1, §5.5). A value
/// with CR or LF would let configuration text inject fields into a forwarded or generated head.
/// </summary>
internal static class HeaderText
{
    /// <summary>A field name: one or more token characters.</summary>
    public static bool IsName(string text)
    {
        if (text.Length == 0) return false;
        foreach (char c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.'
                  or '^' or '_' or '`' or '|' or '~')) return false;
        }
        return true;
    }

    /// <summary>A field value: visible characters, spaces and tabs, and non-ASCII text (sent as UTF-8).</summary>
    public static bool IsValue(string text)
    {
        foreach (char c in text)
        {
            if (c < ' ' && c != '\t' || c == '\x7f') return false;
        }
        return true;
    }

    /// <summary>
    /// Fields the proxy reads the body framing from. Rewriting them would make the forwarded head
    /// disagree with the bytes the proxy relays (request smuggling), so rules may not touch them.
    /// </summary>
    public static bool IsFraming(string name) =>
        name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
        || name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase);
}
