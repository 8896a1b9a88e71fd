using Appliance.Config.Model;
using Appliance.Config.Parsing;

namespace Appliance.Config.Keywords;

/// <summary><c>stats socket PATH [options]</c> in <c>global</c>: the runtime API's Unix socket.</summary>
internal static class StatsSocketKeyword
{
    public static WordOptionTable<StatsSocketOptions> Options { get; } = new("stats socket",
    [
        new("mode", 1, KeywordStatus.Implemented, "<octal>", "file permissions of the socket", ParseMode),
        new("level", 1, KeywordStatus.Implemented, "user|operator|admin", "runtime API privilege (default operator)", ParseLevel),
        new("user", 1, KeywordStatus.Ignored, "<name>", "not implemented yet"),
        new("group", 1, KeywordStatus.Ignored, "<name>", "not implemented yet"),
        new("uid", 1, KeywordStatus.Ignored, "<number>", "not implemented yet"),
        new("gid", 1, KeywordStatus.Ignored, "<number>", "not implemented yet"),
        // HAProxy's way to pass listeners across reloads; the master here owns listeners instead.
        new("expose-fd", 1, KeywordStatus.Ignored, "listeners", "not needed: the master hands listeners over itself"),
        new("process", 1, KeywordStatus.Ignored, "<set>", "not implemented yet"),
        new("thread", 1, KeywordStatus.Ignored, "<set>", "not implemented yet"),
        new("severity-output", 1, KeywordStatus.Ignored, "none|number|string", "not implemented yet"),
        new("name", 1, KeywordStatus.Ignored, "<name>", "not implemented yet"),
    ]);

    public static void Parse(KeywordLine line, GlobalSection global)
    {
        if (!line.HasArguments(1, int.MaxValue)) return;
        string path = line.Argument(0);
        if (path.StartsWith("unix@", StringComparison.Ordinal)) path = path["unix@".Length..];
        if (!path.StartsWith('/'))
        {
            line.Error($"'{line.Argument(0)}': only Unix socket paths are supported yet (write an absolute path)");
            return;
        }
        var options = Options.ParseAll(line, 1, StatsSocketOptions.Default);
        global.StatsSockets.Add(new StatsSocketConfig(path, options.Mode, options.Level, line.Location));
    }

    private static StatsSocketOptions ParseMode(StatsSocketOptions options, string value, KeywordLine line)
    {
        bool octal = value.Length is > 0 and <= 4;
        foreach (char c in value) octal &= c is >= '0' and <= '7';
        if (!octal)
        {
            line.Error($"invalid mode '{value}' (expected octal permissions such as 660)");
            return options;
        }
        return options with { Mode = Convert.ToInt32(value, 8) };
    }

    private static StatsSocketOptions ParseLevel(StatsSocketOptions options, string value, KeywordLine line)
    {
        switch (value)
        {
            case "user":
                return options with { Level = RuntimeApiLevel.User };
            case "operator":
                return options with { Level = RuntimeApiLevel.Operator };
            case "admin":
                return options with { Level = RuntimeApiLevel.Admin };
            default:
                line.Error(KeywordSuggestion.WithSuggestion(
                    $"invalid level '{value}' (expected user, operator or admin)", value, ["user", "operator", "admin"]));
                return options;
        }
    }
}
