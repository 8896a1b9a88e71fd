using Appliance.Config.Model;
using Appliance.Config.Parsing;

namespace Appliance.Config.Keywords;

/// <summary>
/// The statistics page keywords of proxies (<c>stats enable|uri|refresh|auth|realm|hide-version|admin</c>).
/// As in HAProxy, each one enables the page, starting from the defaults for the settings not written.
/// </summary>
internal static class StatsKeywords
{
    private const SectionKinds All = SectionKinds.AllProxies;

    public static IEnumerable<KeywordSpec<ProxySection>> Specs()
    {
        yield return new("stats enable", All, KeywordStatus.Implemented, "",
            $"serve the statistics page at the stats uri (default {StatsConfig.DefaultUri}); 'no stats enable' turns it off", ParseEnable)
        { Negatable = true };
        yield return new("stats uri", All, KeywordStatus.Implemented, "<prefix>",
            "URI prefix of the statistics page; ';csv' after it answers the CSV of 'show stat'", ParseUri);
        yield return new("stats refresh", All, KeywordStatus.Implemented, "<time>",
            "reload the page automatically (HTML meta refresh)", ParseRefresh);
        yield return new("stats auth", All, KeywordStatus.Implemented, "<user>:<password>",
            "require HTTP Basic authentication (several lines allow several users)", ParseAuth);
        yield return new("stats realm", All, KeywordStatus.Implemented, "<realm>",
            $"the Basic authentication realm (default \"{StatsConfig.DefaultRealm}\")", ParseRealm);
        yield return new("stats hide-version", All, KeywordStatus.Implemented, "",
            "leave the version out of the page", ParseHideVersion);
        yield return new("stats admin", All, KeywordStatus.Implemented, "if|unless <condition>",
            "let requests matching the condition set servers ready/drain/maint from the page (POST form)", ParseAdmin);
        foreach (string name in (string[])["stats scope", "stats show-legends", "stats show-node", "stats show-desc", "stats show-modules", "stats http-request"])
        {
            yield return new(name, All, KeywordStatus.Ignored, "...", "not implemented yet");
        }
    }

    private static StatsConfig Current(ProxySection section) => section.Settings.Stats ?? StatsConfig.Default;

    private static void Set(ProxySection section, StatsConfig stats) => section.Settings = section.Settings with { Stats = stats };

    private static void ParseEnable(KeywordLine line, ProxySection section)
    {
        if (!line.HasArguments(0, 0)) return;
        if (line.Negated) section.Settings = section.Settings with { Stats = null };
        else Set(section, Current(section));
    }

    private static void ParseUri(KeywordLine line, ProxySection section)
    {
        if (!line.HasArguments(1, 1)) return;
        string uri = line.Argument(0);
        if (!uri.StartsWith('/'))
        {
            line.Error($"'{uri}' is not an absolute URI path (it must start with '/')");
            return;
        }
        Set(section, Current(section) with { Uri = uri });
    }

    private static void ParseRefresh(KeywordLine line, ProxySection section)
    {
        if (!line.HasArguments(1, 1) || !line.TryTime(0, out TimeSpan value)) return;
        int seconds = (int)Math.Min(int.MaxValue, Math.Ceiling(value.TotalSeconds));
        Set(section, Current(section) with { Refresh = seconds });
    }

    private static void ParseAuth(KeywordLine line, ProxySection section)
    {
        if (!line.HasArguments(1, 1)) return;
        string pair = line.Argument(0);
        if (pair.IndexOf(':') <= 0)
        {
            line.Error($"'{pair}' is not <user>:<password>");
            return;
        }
        StatsConfig current = Current(section);
        Set(section, current with { Users = new ValueList<string>([.. current.Users, pair]) });
    }

    private static void ParseRealm(KeywordLine line, ProxySection section)
    {
        if (!line.HasArguments(1, int.MaxValue)) return;
        // HAProxy takes the rest of the line (a realm with spaces needs no quotes there).
        var realm = string.Join(' ', line.ArgumentsFrom(0));
        if (realm.Contains('"'))
        {
            line.Error("the realm cannot contain '\"'");
            return;
        }
        Set(section, Current(section) with { Realm = realm });
    }

    private static void ParseHideVersion(KeywordLine line, ProxySection section)
    {
        if (line.HasArguments(0, 0)) Set(section, Current(section) with { HideVersion = true });
    }

    private static void ParseAdmin(KeywordLine line, ProxySection section)
    {
        if (!line.HasArguments(1, int.MaxValue)) return;
        if (ConditionWords.Parse(line, 0) is { } condition) Set(section, Current(section) with { Admin = condition, AdminLocation = line.Location });
    }
}
