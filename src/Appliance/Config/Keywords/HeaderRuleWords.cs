using Appliance.Config.Model;
using Appliance.Config.Values;

namespace Appliance.Config.Keywords;

/// <summary>The header actions (<c>set-header</c>, <c>add-header</c>, <c>del-header</c>, <c>replace-header</c>) and <c>set-path</c>.</summary>
internal static class HeaderRuleWords
{
    public const string SetSynopsis = "<name> <fmt>";
    public const string DeleteSynopsis = "<name> [-m str|beg|end|sub|reg]";
    public const string ReplaceSynopsis = "<name> <regex> <replacement>";
    public const string SetPathSynopsis = "<fmt>";

    public const string ReplacePathSynopsis = "<match-regex> <replace-fmt>";

    public static HttpRuleAction? ParseSet(RuleWords words, bool add)
    {
        if (!words.TryTake(out string name) || !words.TryTake(out string value)) return words.Missing();
        if (!CheckName(words, name)) return null;
        return add ? new AddHeaderAction(name, value) : new SetHeaderAction(name, value);
    }

    public static HttpRuleAction? ParseDelete(RuleWords words)
    {
        if (!words.TryTake(out string name)) return words.Missing();
        HeaderNameMatch match = HeaderNameMatch.Exact;
        if (words.TryTakeOption(out string option))
        {
            if (option != "-m")
            {
                words.Error($"unexpected '{option}' (expected '-m <method>', 'if' or 'unless')");
                return null;
            }
            if (!words.TryTakeOption(out string method))
            {
                words.Error("missing matching method after '-m' (expected str, beg, end, sub or reg)");
                return null;
            }
            HeaderNameMatch? parsed = method switch
            {
                "str" => HeaderNameMatch.Exact,
                "beg" => HeaderNameMatch.Prefix,
                "end" => HeaderNameMatch.Suffix,
                "sub" => HeaderNameMatch.Substring,
                "reg" => HeaderNameMatch.Regex,
                _ => null,
            };
            if (parsed is null)
            {
                words.Error($"unknown matching method '{method}' after '-m' (expected str, beg, end, sub or reg)");
                return null;
            }
            match = parsed.Value;
        }
        // A pattern only has to be a name when it is compared whole.
        if (match == HeaderNameMatch.Exact && !CheckName(words, name)) return null;
        return new DeleteHeaderAction(name, match);
    }

    public static HttpRuleAction? ParseReplace(RuleWords words)
    {
        if (!words.TryTake(out string name) || !words.TryTake(out string pattern) || !words.TryTake(out string replacement))
        {
            return words.Missing();
        }
        if (!CheckName(words, name)) return null;
        return new ReplaceHeaderAction(name, pattern, replacement);
    }

    public static HttpRuleAction? ParseSetPath(RuleWords words)
    {
        if (!words.TryTake(out string path)) return words.Missing();
        // A path built by %[…] is checked per request; a literal one can be checked now.
        if (!path.Contains('%') && !path.StartsWith('/'))
        {
            words.Error($"invalid path '{path}' (a path starts with '/')");
            return null;
        }
        return new SetPathAction(path);
    }

    public static HttpRuleAction? ParseReplacePath(RuleWords words)
    {
        if (!words.TryTake(out string pattern) || !words.TryTake(out string replacement)) return words.Missing();
        return new ReplacePathAction(pattern, replacement);
    }

    private static bool CheckName(RuleWords words, string name)
    {
        if (!HeaderText.IsName(name))
        {
            words.Error($"invalid header name '{name}'");
            return false;
        }
        if (HeaderText.IsFraming(name))
        {
            words.Error($"'{name}' cannot be rewritten: the proxy reads the message framing from the received head");
            return false;
        }
        return true;
    }
}
