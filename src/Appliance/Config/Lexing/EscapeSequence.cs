using System.Globalization;
using System.Text;

namespace Appliance.Config.Lexing;

/// <summary>HAProxy's backslash escapes, valid unquoted and inside double quotes.</summary>
internal static class EscapeSequence
{
    /// <summary>
    /// <paramref name="i"/> is on the backslash; appends the decoded character and moves past the sequence.
    /// An unknown escape such as <c>\d</c> is kept as written so regular expressions survive unquoted.
    /// </summary>
    public static string? Decode(ReadOnlySpan<char> line, ref int i, StringBuilder word)
    {
        if (i + 1 >= line.Length)
        {
            word.Append('\\');
            i++;
            return null;
        }
        char next = line[i + 1];
        switch (next)
        {
            case ' ' or '\t' or '#' or '\\' or '\'' or '"' or '$':
                word.Append(next);
                i += 2;
                return null;
            case 'n':
                word.Append('\n');
                i += 2;
                return null;
            case 'r':
                word.Append('\r');
                i += 2;
                return null;
            case 't':
                word.Append('\t');
                i += 2;
                return null;
            case 'x':
                if (i + 3 < line.Length
                    && byte.TryParse(line.Slice(i + 2, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte code))
                {
                    word.Append((char)code);
                    i += 4;
                    return null;
                }
                return $"invalid escape at column {i + 1}: \\x must be followed by two hexadecimal digits";
            default:
                word.Append('\\').Append(next);
                i += 2;
                return null;
        }
    }
}
