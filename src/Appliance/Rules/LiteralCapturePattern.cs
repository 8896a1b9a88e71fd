namespace Appliance.Rules;

/// <summary>
/// The regex shape most path rewrites use — a literal followed by a group that takes the rest,
/// <c>^/orders/(.*)</c>, <c>^/orders(/.*)</c>, <c>/api(.*)$</c>, <c>(.*)</c> — matched without the regex
/// engine, so the rewrite allocates nothing (.NET's groups exist only over a string). Same result as the
/// regex: the leftmost occurrence of the whole literal (the first position when anchored), group 0 from
/// there to the end, group 1 from the group's opening; request paths hold no line feed for <c>.</c> to
/// stop at.
/// </summary>
internal sealed class LiteralCapturePattern
{
    /// <summary>The literal the match starts with: the part before the group, then the group's own literal start.</summary>
    private readonly byte[] _literal;
    /// <summary>Length of the part before the group: group 1 starts that far into the match.</summary>
    private readonly int _groupOffset;
    private readonly bool _anchored;

    private LiteralCapturePattern(byte[] literal, int groupOffset, bool anchored)
    {
        _literal = literal;
        _groupOffset = groupOffset;
        _anchored = anchored;
    }

    /// <summary>The fast form of <paramref name="regex"/> (<c>^?LITERAL(LITERAL.*)$?</c>), or null when it has any other shape.</summary>
    public static LiteralCapturePattern? TryRecognise(string regex)
    {
        ReadOnlySpan<char> text = regex;
        bool anchored = text.StartsWith("^");
        if (anchored) text = text[1..];
        if (text.EndsWith("$")) text = text[..^1];
        if (!text.EndsWith(".*)")) return null;
        text = text[..^3];
        int open = text.IndexOf('(');
        if (open < 0) return null;
        var literal = new List<byte>(text.Length);
        if (!TryAppendLiteral(text[..open], literal)) return null;
        int groupOffset = literal.Count;
        if (!TryAppendLiteral(text[(open + 1)..], literal)) return null;
        return new LiteralCapturePattern([.. literal], groupOffset, anchored);
    }

    /// <summary>Appends <paramref name="text"/> as bytes if it is a plain literal: characters that stand for themselves in a regex and may be in a path.</summary>
    private static bool TryAppendLiteral(ReadOnlySpan<char> text, List<byte> literal)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length && text[i + 1] is '.' or '-' or '/' or '~' or '_')
            {
                literal.Add((byte)text[++i]);
                continue;
            }
            if (!(char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '~' or ',' or '=' or '@' or ':' or ';' or '!' or '&' or '\'')) return false;
            literal.Add((byte)c);
        }
        return true;
    }

    /// <summary>
    /// Whether <paramref name="value"/> matches; then group 0 starts at <paramref name="matchStart"/>
    /// and group 1 at <paramref name="groupStart"/>, both running to the end.
    /// </summary>
    public bool TryMatch(ReadOnlySpan<byte> value, out int matchStart, out int groupStart)
    {
        matchStart = _anchored ? (value.StartsWith(_literal) ? 0 : -1) : value.IndexOf(_literal);
        groupStart = matchStart + _groupOffset;
        return matchStart >= 0;
    }
}
