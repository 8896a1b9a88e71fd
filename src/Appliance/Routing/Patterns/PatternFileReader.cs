using System.Text;
using Appliance.Routing.Maps;

namespace Appliance.Routing.Patterns;

/// <summary>
/// Reads HAProxy pattern files (<c>acl … -f FILE</c>) and map files (<c>map*(FILE)</c>) as UTF-8 text,
/// like the configuration itself (see <see cref="RoutingText"/>). Called at load time only.
/// </summary>
internal static class PatternFileReader
{
    /// <summary>
    /// A file named in the configuration: absolute as written, otherwise relative to the directory of
    /// the configuration file that names it.
    /// </summary>
    public static string ResolvePath(string configFile, string path)
    {
        if (Path.IsPathRooted(path)) return Path.GetFullPath(path);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(configFile));
        return Path.GetFullPath(Path.Combine(directory ?? ".", path));
    }

    /// <summary>
    /// ACL pattern file: one pattern per line. A line whose first character is '#' is a comment (a
    /// pattern that starts with '#' is written with a leading space); leading spaces and tabs are
    /// stripped, empty lines skipped, and the rest of the line — trailing spaces included — is the
    /// pattern (HAProxy's rules).
    /// </summary>
    public static List<string>? ReadPatterns(string path, out string? error)
    {
        var patterns = new List<string>();
        foreach (string line in ReadLines(path, out error) ?? [])
        {
            if (line.StartsWith('#')) continue;
            string pattern = line.TrimStart(' ', '\t');
            if (pattern.Length > 0) patterns.Add(pattern);
        }
        return error is null ? patterns : null;
    }

    /// <summary>
    /// Map file: per line, leading spaces and tabs stripped, then the key (the first word), then the
    /// value (the rest after the separating blanks, without trailing blanks). Empty lines and lines
    /// starting with '#' are ignored. A key alone has an empty value.
    /// </summary>
    public static List<(MapEntry Entry, int Line)>? ReadMap(string path, out string? error)
    {
        var entries = new List<(MapEntry, int)>();
        int number = 0;
        foreach (string line in ReadLines(path, out error) ?? [])
        {
            number++;
            if (ParseMapLine(line) is { } entry) entries.Add((entry, number));
        }
        return error is null ? entries : null;
    }

    /// <summary>One map line, or null for a blank or comment line.</summary>
    public static MapEntry? ParseMapLine(string line)
    {
        string text = line.TrimStart(' ', '\t');
        if (text.Length == 0 || text[0] == '#') return null;
        int keyEnd = text.IndexOfAny([' ', '\t']);
        if (keyEnd < 0) return new MapEntry(text, "");
        return new MapEntry(text[..keyEnd], text[keyEnd..].Trim(' ', '\t'));
    }

    private static List<string>? ReadLines(string path, out string? error)
    {
        error = null;
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            error = ex is FileNotFoundException or DirectoryNotFoundException
                ? "no such file"
                : ex.Message;
            return null;
        }
        var lines = new List<string>();
        foreach (string raw in text.Split('\n'))
        {
            lines.Add(raw.EndsWith('\r') ? raw[..^1] : raw);
        }
        // A final newline does not start another line.
        if (lines.Count > 0 && lines[^1].Length == 0 && text.EndsWith('\n')) lines.RemoveAt(lines.Count - 1);
        return lines;
    }
}
