using System.Globalization;
using System.Text;

namespace Appliance.Config.Lexing;

/// <summary>
/// Expands <c>$NAME</c>, <c>${NAME}</c>, <c>${NAME-default}</c> and <c>${NAME[*]}</c> inside double quotes,
/// plus HAProxy's pseudo-variables <c>.FILE</c> and <c>.LINE</c>. An unset variable expands to nothing, as in
/// HAProxy; the default after <c>-</c> replaces only an unset variable, not an empty one.
/// </summary>
internal readonly struct VariableExpander
{
    private readonly Func<string, string?> _environment;
    private readonly string _fileName;
    private readonly int _lineNumber;

    public VariableExpander(Func<string, string?> environment, string fileName, int lineNumber)
    {
        _environment = environment;
        _fileName = fileName;
        _lineNumber = lineNumber;
    }

    /// <summary><paramref name="i"/> is on the <c>$</c>; appends the value and moves past the reference.</summary>
    public string? Expand(ReadOnlySpan<char> line, ref int i, List<string> words, StringBuilder word)
    {
        int dollar = i;
        if (i + 1 < line.Length && line[i + 1] == '{')
        {
            int close = line[(i + 2)..].IndexOf('}');
            if (close < 0) return $"unterminated '${{' at column {dollar + 1}";
            var inside = line.Slice(i + 2, close);
            i += close + 3;
            return ExpandBraced(inside, dollar, words, word);
        }
        int nameEnd = i + 1;
        if (nameEnd < line.Length && line[nameEnd] == '.') nameEnd++;
        while (nameEnd < line.Length && IsNameChar(line[nameEnd])) nameEnd++;
        var name = line[(i + 1)..nameEnd];
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            // Not a variable reference: HAProxy keeps a lone '$' as written.
            word.Append('$');
            i++;
            return null;
        }
        i = nameEnd;
        var value = Lookup(name.ToString(), out string? error);
        if (error is not null) return $"{error} at column {dollar + 1}";
        word.Append(value);
        return null;
    }

    private string? ExpandBraced(ReadOnlySpan<char> inside, int dollar, List<string> words, StringBuilder word)
    {
        bool split = inside.EndsWith("[*]");
        if (split) inside = inside[..^3];
        int dash = inside.IndexOf('-');
        var name = dash < 0 ? inside : inside[..dash];
        if (name.Length == 0 || !IsValidName(name)) return $"invalid variable name '{name}' at column {dollar + 1}";
        var value = Lookup(name.ToString(), out string? error);
        if (error is not null) return $"{error} at column {dollar + 1}";
        if (value is null && dash >= 0) value = inside[(dash + 1)..].ToString();
        if (!split)
        {
            word.Append(value);
            return null;
        }
        // ${NAME[*]} turns a space-separated value into separate words.
        var parts = (value ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (int p = 0; p < parts.Length; p++)
        {
            if (p > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
            word.Append(parts[p]);
        }
        return null;
    }

    private string? Lookup(string name, out string? error)
    {
        error = null;
        if (name[0] != '.') return _environment(name);
        switch (name)
        {
            case ".FILE":
                return _fileName;
            case ".LINE":
                return _lineNumber.ToString(CultureInfo.InvariantCulture);
            default:
                error = $"pseudo-variable '{name}' is not supported";
                return null;
        }
    }

    private static bool IsValidName(ReadOnlySpan<char> name)
    {
        int start = name[0] == '.' ? 1 : 0;
        if (start >= name.Length || char.IsAsciiDigit(name[start])) return false;
        for (int k = start; k < name.Length; k++)
        {
            if (!IsNameChar(name[k])) return false;
        }
        return true;
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
