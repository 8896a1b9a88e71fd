using Appliance.Config.Model;
using Appliance.Config.Parsing;

namespace Appliance.Config.Keywords;

/// <summary><c>use_backend NAME [if|unless CONDITION]</c>; the condition is kept as words (ACL names, <c>!</c>, <c>||</c>, <c>{ … }</c>).</summary>
internal static class UseBackendKeyword
{
    public static void Parse(KeywordLine line, ProxySection section)
    {
        if (!line.HasArguments(1, int.MaxValue)) return;
        string backend = line.Argument(0);
        ConditionConfig? condition = null;
        if (line.ArgumentCount > 1)
        {
            condition = ConditionWords.Parse(line, 1);
            if (condition is null) return;
        }
        section.UseBackends.Add(new UseBackendRule(backend, condition, line.Location));
    }
}
