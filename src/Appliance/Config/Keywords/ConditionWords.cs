using Appliance.Config.Model;
using Appliance.Config.Parsing;

namespace Appliance.Config.Keywords;

/// <summary>
/// Reads an <c>if|unless CONDITION</c> suffix. The condition stays as words, but its shape is checked now
/// (not empty, braces balanced) so that a broken rule is a load error rather than a routing surprise.
/// </summary>
internal static class ConditionWords
{
    /// <summary>Reads from argument <paramref name="first"/> to the end; null (after reporting) when malformed.</summary>
    public static ConditionConfig? Parse(KeywordLine line, int first)
    {
        string word = line.Argument(first);
        if (word is not ("if" or "unless"))
        {
            line.Error($"unexpected '{word}' (expected 'if' or 'unless' followed by a condition)");
            return null;
        }
        var terms = line.ArgumentsFrom(first + 1);
        if (terms.Count == 0)
        {
            line.Error($"missing condition after '{word}'");
            return null;
        }
        int depth = 0;
        foreach (var term in terms)
        {
            if (term == "{") depth++;
            else if (term == "}" && --depth < 0) break;
        }
        if (depth != 0)
        {
            line.Error(depth > 0 ? "missing closing '}' in condition" : "unexpected '}' in condition");
            return null;
        }
        return new ConditionConfig(word == "unless", terms);
    }

    /// <summary>
    /// The named ACLs a condition refers to: every term except operators and the words of anonymous
    /// <c>{ … }</c> ACLs, with a leading <c>!</c> removed.
    /// </summary>
    public static IEnumerable<string> AclNames(ConditionConfig condition)
    {
        int depth = 0;
        foreach (var term in condition.Terms)
        {
            if (term == "{")
            {
                depth++;
                continue;
            }
            if (term == "}")
            {
                depth--;
                continue;
            }
            if (depth > 0 || term is "!" or "||" or "or") continue;
            string name = term.TrimStart('!');
            if (name.Length > 0) yield return name;
        }
    }
}
