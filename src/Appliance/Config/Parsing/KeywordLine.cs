using Appliance.Config.Model;
using Appliance.Config.Values;

namespace Appliance.Config.Parsing;

/// <summary>
/// One keyword line as its parse function sees it: the arguments after the keyword's own words, and
/// error/warning reporting already tagged with file, line, section and keyword.
/// </summary>
internal sealed class KeywordLine
{
    private readonly string[] _words;
    private readonly int _argumentStart;
    private readonly DiagnosticBag _diagnostics;

    public KeywordLine(string[] words, int argumentStart, string keyword, string usage, SourceLocation location,
        string? section, DiagnosticBag diagnostics, bool negated = false)
    {
        _words = words;
        _argumentStart = argumentStart;
        Keyword = keyword;
        Usage = usage;
        Location = location;
        Section = section;
        _diagnostics = diagnostics;
        Negated = negated;
    }

    public string Keyword { get; }

    /// <summary>The keyword with its argument synopsis, quoted in argument-count errors.</summary>
    public string Usage { get; }

    public SourceLocation Location { get; }

    public string? Section { get; }

    /// <summary>The line was written <c>no KEYWORD …</c>.</summary>
    public bool Negated { get; }

    public int ArgumentCount => _words.Length - _argumentStart;

    public string Argument(int index) => _words[_argumentStart + index];

    /// <summary>Arguments from <paramref name="first"/> to the end of the line.</summary>
    public ValueList<string> ArgumentsFrom(int first) => new(_words.AsSpan(_argumentStart + first).ToArray());

    public void Error(string message) => _diagnostics.Error(Location, Section, Keyword, message);

    public void Warning(string message) => _diagnostics.Warning(Location, Section, Keyword, message);

    public void WarnOnce(string key, string message) => _diagnostics.WarnOnce(key, Location, Section, Keyword, message);

    /// <summary>Reports a missing or extra argument; true when the count is within bounds.</summary>
    public bool HasArguments(int min, int max)
    {
        if (ArgumentCount < min)
        {
            Error($"missing argument; usage: {Usage}");
            return false;
        }
        if (ArgumentCount > max)
        {
            Error($"unexpected argument '{Argument(max)}'; usage: {Usage}");
            return false;
        }
        return true;
    }

    public bool TryInteger(int index, int min, int max, out int value)
    {
        if (IntegerValue.TryParse(Argument(index), min, max, out value, out string error)) return true;
        Error(error);
        return false;
    }

    public bool TryTime(int index, out TimeSpan value)
    {
        if (TimeValue.TryParse(Argument(index), out value, out string error)) return true;
        Error(error);
        return false;
    }
}
