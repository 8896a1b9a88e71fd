using Appliance.Config.Model;
using Appliance.Config.Parsing;

namespace Appliance.Config.Keywords;

/// <summary>
/// <c>acl NAME FETCH [flags] [values…]</c>, stored as words: the HTTP mode compiles fetches and matchers.
/// A fetch without values (<c>acl tls ssl_fc</c>) is a boolean test, so only the name and fetch are required.
/// </summary>
internal static class AclKeyword
{
    public static void Parse(KeywordLine line, ProxySection section)
    {
        if (!line.HasArguments(2, int.MaxValue)) return;
        string name = line.Argument(0);
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                line.Error($"invalid character '{c}' in ACL name '{name}' (allowed: letters, digits, '-', '_', '.', ':')");
                return;
            }
        }
        section.Acls.Add(new AclConfig(name, line.Argument(1), line.ArgumentsFrom(2), line.Location));
    }
}
