using System.Text;
using Appliance.Config.Parsing;

namespace Appliance.Config.Keywords;

/// <summary>
/// Renders docs/config-keywords.md from the keyword tables, so the document cannot drift from what the
/// parser accepts (a test compares the two).
/// </summary>
internal static class KeywordReference
{
    public static string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("# Configuration keywords\n\n");
        text.Append("Generated from the keyword tables in `src/Appliance/Config/Keywords/`; ");
        text.Append("`KeywordReferenceTests` fails when this file and the tables disagree.\n\n");
        text.Append("The dialect is HAProxy's (see its `configuration.txt`). Status:\n\n");
        text.Append("- **implemented**: parsed, validated and used;\n");
        text.Append("- **ignored**: accepted with one `not implemented yet, ignored` warning per keyword;\n");
        text.Append("- **not supported yet**: refused with an error, because ignoring it would change where or how traffic goes.\n\n");
        text.Append("Any other word is an error, with a `did you mean` suggestion when a keyword of the section is close.\n\n");
        text.Append("Times are milliseconds unless a unit is given (`us`, `ms`, `s`, `m`, `h`, `d`); ");
        text.Append("the largest is 2147483647 ms (about 24.8 days).\n\n");

        text.Append("## Sections\n\n| section | status |\n| --- | --- |\n");
        text.Append("| `global` | implemented |\n");
        text.Append("| `defaults [<name>] [from <defaults>]` | implemented |\n");
        text.Append("| `frontend <name> [from <defaults>]` | implemented |\n");
        text.Append("| `backend <name> [from <defaults>]` | implemented |\n");
        text.Append("| `listen <name> [from <defaults>]` | implemented (a frontend and a backend of the same name) |\n");
        foreach (var name in SectionKeywords.Ignored) text.Append("| `").Append(name).Append("` | ignored, with its contents |\n");

        text.Append("\n## Keywords\n\n");
        text.Append("| keyword | sections | arguments | status | notes |\n| --- | --- | --- | --- | --- |\n");
        AppendRows(text, GlobalKeywords.Table);
        AppendRows(text, ProxyKeywords.Table);

        text.Append("\n## Ignored keywords\n\n");
        AppendIgnored(text, "global", GlobalKeywords.Table.Specs.Where(s => s.Status == KeywordStatus.Ignored)
            .Select(s => s.IsPrefix ? s.Name + "*" : s.Name));
        AppendIgnored(text, "defaults, frontend, backend, listen", ProxyKeywords.Table.Specs
            .Where(s => s.Status == KeywordStatus.Ignored && !s.Name.StartsWith("option ", StringComparison.Ordinal))
            .Select(s => s.Name));
        AppendIgnored(text, "`option …` (also as `no option …`)", ProxyKeywords.Table.Specs
            .Where(s => s.Status == KeywordStatus.Ignored && s.Name.StartsWith("option ", StringComparison.Ordinal))
            .Select(s => s.Name["option ".Length..]));

        AppendOptions(text, "`server` and `default-server` options", ServerOptionKeywords.Options);
        AppendOptions(text, "`bind` options", BindKeyword.Options);
        AppendOptions(text, "`stats socket` options", StatsSocketKeyword.Options);
        return text.ToString();
    }

    private static void AppendRows<TSection>(StringBuilder text, KeywordTable<TSection> table)
    {
        foreach (var spec in table.Specs)
        {
            if (spec.Status == KeywordStatus.Ignored) continue;
            text.Append("| `").Append(spec.Negatable ? "[no] " + spec.Name : spec.Name).Append("` | ")
                .Append(SectionNames(spec.Sections)).Append(" | ")
                .Append(Code(spec.Arguments)).Append(" | ")
                .Append(StatusName(spec.Status)).Append(" | ")
                .Append(spec.Help).Append(" |\n");
        }
    }

    private static void AppendIgnored(StringBuilder text, string sections, IEnumerable<string> names)
    {
        text.Append("- ").Append(sections).Append(": ")
            .Append(string.Join(", ", names.Select(n => "`" + n + "`"))).Append("\n");
    }

    private static void AppendOptions<TTarget>(StringBuilder text, string title, WordOptionTable<TTarget> table)
    {
        text.Append("\n## ").Append(title).Append("\n\n| option | value | status | notes |\n| --- | --- | --- | --- |\n");
        foreach (var option in table.Options.Where(o => o.Status == KeywordStatus.Implemented))
        {
            text.Append("| `").Append(option.Name).Append("` | ")
                .Append(Code(option.Arguments)).Append(" | implemented | ")
                .Append(option.Help).Append(" |\n");
        }
        foreach (var status in (KeywordStatus[])[KeywordStatus.Ignored, KeywordStatus.Unsupported])
        {
            var names = table.Options.Where(o => o.Status == status).Select(o => "`" + o.Name + "`").ToList();
            if (names.Count > 0) text.Append("| ").Append(string.Join(", ", names)).Append(" | | ").Append(StatusName(status)).Append(" | |\n");
        }
    }

    /// <summary>A table cell in backticks; GitHub tables need '|' escaped even inside code spans.</summary>
    private static string Code(string text) => text.Length == 0 ? "" : "`" + text.Replace("|", "\\|") + "`";

    private static string SectionNames(SectionKinds sections)
    {
        if (sections == SectionKinds.Global) return "global";
        var names = new List<string>();
        if ((sections & SectionKinds.Defaults) != 0) names.Add("defaults");
        if ((sections & SectionKinds.Frontend) != 0) names.Add("frontend");
        if ((sections & SectionKinds.Listen) != 0) names.Add("listen");
        if ((sections & SectionKinds.Backend) != 0) names.Add("backend");
        return string.Join(", ", names);
    }

    private static string StatusName(KeywordStatus status) => status switch
    {
        KeywordStatus.Implemented => "implemented",
        KeywordStatus.Ignored => "ignored",
        _ => "not supported yet",
    };
}
