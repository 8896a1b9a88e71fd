namespace Appliance.Config.Lexing;

/// <summary>
/// One non-blank line of a config file, cut into words with quotes, escapes and variables already
/// resolved. <see cref="Error"/> is set instead of words being trusted when the line could not be cut
/// (unterminated quote, bad escape): the parser reports it with the section it belongs to.
/// </summary>
internal sealed class ConfigLine
{
    public ConfigLine(int number, bool isIndented, string[] words, string? error = null)
    {
        Number = number;
        IsIndented = isIndented;
        Words = words;
        Error = error;
    }

    /// <summary>1-based line number in the file.</summary>
    public int Number { get; }

    /// <summary>
    /// The line starts with a space or tab. Sections are conventionally written at column 0, so an unknown
    /// word at column 0 is more likely a misspelt section than a misspelt keyword.
    /// </summary>
    public bool IsIndented { get; }

    public string[] Words { get; }

    public string? Error { get; }
}
