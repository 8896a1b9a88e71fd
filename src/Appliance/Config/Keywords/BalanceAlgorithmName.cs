using Appliance.Config.Model;
using Appliance.Config.Parsing;

namespace Appliance.Config.Keywords;

/// <summary>The words <c>balance</c> takes, including HAProxy's algorithms that are not supported yet.</summary>
internal static class BalanceAlgorithmName
{
    private static readonly Dictionary<string, BalanceAlgorithm> Supported = new(StringComparer.Ordinal)
    {
        ["roundrobin"] = BalanceAlgorithm.RoundRobin,
        ["static-rr"] = BalanceAlgorithm.StaticRoundRobin,
        ["leastconn"] = BalanceAlgorithm.LeastConn,
        ["first"] = BalanceAlgorithm.First,
        ["source"] = BalanceAlgorithm.Source,
        ["random"] = BalanceAlgorithm.Random,
    };

    /// <summary>Hash-based algorithms; <c>hdr</c> and <c>rdp-cookie</c> are written with a parenthesised name.</summary>
    private static readonly string[] NotSupportedYet = ["uri", "url_param", "hdr", "rdp-cookie", "hash"];

    public static IEnumerable<string> SupportedNames => Supported.Keys;

    public static bool TryParse(KeywordLine line, out BalanceAlgorithm algorithm)
    {
        algorithm = BalanceAlgorithm.RoundRobin;
        string word = line.Argument(0);
        int paren = word.IndexOf('(');
        string name = paren < 0 ? word : word[..paren];
        if (Array.IndexOf(NotSupportedYet, name) >= 0)
        {
            line.Error($"balance '{name}' is not supported yet (supported: {string.Join(", ", Supported.Keys)})");
            return false;
        }
        if (!Supported.TryGetValue(name, out algorithm))
        {
            line.Error(KeywordSuggestion.WithSuggestion($"unknown balance algorithm '{word}'", name, Supported.Keys.Concat(NotSupportedYet)));
            return false;
        }
        // Power of two choices is HAProxy's default for random: random(2) says the same thing explicitly.
        if (paren >= 0 && !(algorithm == BalanceAlgorithm.Random && word == "random(2)"))
        {
            line.Error($"'{word}': only 'random' with the default two draws, random(2), is supported");
            return false;
        }
        if (line.ArgumentCount > 1)
        {
            line.Error($"unexpected argument '{line.Argument(1)}': balance {name} takes no arguments");
            return false;
        }
        return true;
    }
}
