using System.Text;

namespace Appliance.Config.Lexing;

/// <summary>
/// Cuts config text into lines of words the way HAProxy does: <c>#</c> starts a comment outside quotes,
/// spaces and tabs separate words, double quotes are weak (escapes and <c>$VAR</c> expansion still work),
/// single quotes are strong (nothing is interpreted), and a backslash escapes outside quotes too.
/// Environment variables are expanded only inside double quotes, as in HAProxy.
/// </summary>
internal static class ConfigLexer
{
    /// <summary>Returns every line that holds at least one word or an error; blank and comment-only lines are dropped.</summary>
    public static List<ConfigLine> Split(string text, string fileName, Func<string, string?> environment)
    {
        var lines = new List<ConfigLine>();
        var words = new List<string>();
        var word = new StringBuilder();
        int lineNumber = 0;
        int start = 0;
        while (start <= text.Length)
        {
            int end = text.IndexOf('\n', start);
            if (end < 0) end = text.Length;
            lineNumber++;
            int length = end - start;
            if (length > 0 && text[end - 1] == '\r') length--;
            var line = text.AsSpan(start, length);
            var variables = new VariableExpander(environment, fileName, lineNumber);
            string? error = SplitLine(line, words, word, variables);
            if (error is not null)
            {
                lines.Add(new ConfigLine(lineNumber, IsIndented(line), words.ToArray(), error));
            }
            else if (words.Count > 0)
            {
                lines.Add(new ConfigLine(lineNumber, IsIndented(line), words.ToArray()));
            }
            words.Clear();
            start = end + 1;
        }
        return lines;
    }

    private static bool IsIndented(ReadOnlySpan<char> line) => line.Length > 0 && (line[0] == ' ' || line[0] == '\t');

    /// <summary>Fills <paramref name="words"/>; returns an error message when the line cannot be cut.</summary>
    private static string? SplitLine(ReadOnlySpan<char> line, List<string> words, StringBuilder word, VariableExpander variables)
    {
        word.Clear();
        // A word exists as soon as a quote opens, so "" yields an empty word rather than nothing.
        bool inWord = false;
        int i = 0;
        while (i < line.Length)
        {
            char c = line[i];
            switch (c)
            {
                case ' ' or '\t':
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }
                    i++;
                    break;
                case '#':
                    i = line.Length;
                    break;
                case '\'':
                {
                    int close = line[(i + 1)..].IndexOf('\'');
                    if (close < 0) return $"unterminated single quote at column {i + 1}";
                    word.Append(line.Slice(i + 1, close));
                    inWord = true;
                    i += close + 2;
                    break;
                }
                case '"':
                {
                    string? error = ReadDoubleQuoted(line, ref i, words, word, variables);
                    if (error is not null) return error;
                    inWord = true;
                    break;
                }
                case '\\':
                {
                    string? error = EscapeSequence.Decode(line, ref i, word);
                    if (error is not null) return error;
                    inWord = true;
                    break;
                }
                default:
                    word.Append(c);
                    inWord = true;
                    i++;
                    break;
            }
        }
        if (inWord) words.Add(word.ToString());
        return null;
    }

    /// <summary><paramref name="i"/> is on the opening quote; on return it is just past the closing one.</summary>
    private static string? ReadDoubleQuoted(ReadOnlySpan<char> line, ref int i, List<string> words, StringBuilder word, VariableExpander variables)
    {
        int open = i;
        i++;
        while (i < line.Length)
        {
            char c = line[i];
            if (c == '"')
            {
                i++;
                return null;
            }
            if (c == '\\')
            {
                string? error = EscapeSequence.Decode(line, ref i, word);
                if (error is not null) return error;
            }
            else if (c == '$')
            {
                string? error = variables.Expand(line, ref i, words, word);
                if (error is not null) return error;
            }
            else
            {
                word.Append(c);
                i++;
            }
        }
        return $"unterminated double quote at column {open + 1}";
    }
}
