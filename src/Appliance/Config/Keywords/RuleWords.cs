using Appliance.Config.Parsing;

namespace Appliance.Config.Keywords;

/// <summary>
/// The words of one <c>http-request</c>/<c>http-response</c> action, read left to right after the
/// action word; whatever is left when the action is read must be an <c>if|unless</c> condition.
/// </summary>
internal sealed class RuleWords
{
    public RuleWords(KeywordLine line, string action, string synopsis)
    {
        Line = line;
        Action = action;
        Usage = $"{line.Keyword} {action}{(synopsis.Length == 0 ? "" : " " + synopsis)} [if|unless <condition>]";
        Index = 1;
    }

    /// <summary>
    /// For a keyword that is itself the action (the standalone <c>redirect</c>): the options start at
    /// the first argument.
    /// </summary>
    public RuleWords(KeywordLine line, string synopsis)
    {
        Line = line;
        Action = line.Keyword;
        Usage = $"{line.Keyword} {synopsis} [if|unless <condition>]";
        Index = 0;
    }

    public KeywordLine Line { get; }

    public string Action { get; }

    /// <summary>The action's synopsis, quoted in argument errors.</summary>
    public string Usage { get; }

    /// <summary>Index of the next unread argument of the line.</summary>
    public int Index { get; private set; }

    /// <summary>Takes the next word whatever it is (positional arguments: a value may be spelled "if").</summary>
    public bool TryTake(out string word)
    {
        if (Index >= Line.ArgumentCount)
        {
            word = "";
            return false;
        }
        word = Line.Argument(Index++);
        return true;
    }

    /// <summary>Takes the next option word, stopping at the end or at <c>if</c>/<c>unless</c>.</summary>
    public bool TryTakeOption(out string word)
    {
        if (Index >= Line.ArgumentCount || Line.Argument(Index) is "if" or "unless")
        {
            word = "";
            return false;
        }
        word = Line.Argument(Index++);
        return true;
    }

    /// <summary>Takes the value that must follow <paramref name="option"/>; reports when it is missing.</summary>
    public bool TryTakeValue(string option, out string value)
    {
        if (TryTakeOption(out value)) return true;
        Error($"'{option}' expects a value; usage: {Usage}");
        return false;
    }

    /// <returns>null, so parse functions can <c>return words.Missing();</c>.</returns>
    public Model.HttpRuleAction? Missing()
    {
        Error($"missing argument; usage: {Usage}");
        return null;
    }

    public void Error(string message) => Line.Error(message);

    public void Warning(string message) => Line.Warning(message);
}
