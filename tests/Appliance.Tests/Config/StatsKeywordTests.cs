using Appliance.Config.Model;
using static Appliance.Tests.Config.ConfigTestSupport;

namespace Appliance.Tests.Config;

public class StatsKeywordTests
{
    [Fact]
    public void AnyStatsLineEnablesThePageWithHaproxyDefaults()
    {
        var config = LoadValid("frontend a\n bind :80\n stats enable\nfrontend b\n bind :81\n stats refresh 10s\nfrontend c\n bind :82\n");
        Assert.Equal(StatsConfig.Default, config.Frontends[0].Stats);
        Assert.Equal("/haproxy?stats", config.Frontends[0].Stats!.Uri);
        Assert.Equal(StatsConfig.Default with { Refresh = 10 }, config.Frontends[1].Stats);
        Assert.Null(config.Frontends[2].Stats);
    }

    [Fact]
    public void ParsesEveryStatsKeywordAndInheritsFromDefaults()
    {
        var result = Load("""
            defaults
              mode http
              stats uri /admin/stats
              stats auth admin:one
            listen stats
              bind :8404
              stats auth ops:two
              stats realm Edge\ statistics
              stats hide-version
              stats refresh 1500ms
              acl local src 127.0.0.1
              stats admin if local
            backend be
              no stats enable
            """);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var expected = new StatsConfig("/admin/stats", 2, new ValueList<string>(["admin:one", "ops:two"]), "Edge statistics", true,
            new ConditionConfig(false, new ValueList<string>(["local"])), new SourceLocation(FileName, 12));
        Assert.Equal(expected, result.Config!.Frontends[0].Stats);
        Assert.Equal(expected, result.Config.Backends.Single(b => b.Name == "stats").Stats);
        Assert.Null(result.Config.Backends.Single(b => b.Name == "be").Stats);
        Assert.Empty(result.Warnings);
    }

    [Theory]
    [InlineData("stats uri stats", "test.cfg:3: section 'f': keyword 'stats uri': 'stats' is not an absolute URI path (it must start with '/')")]
    [InlineData("stats auth admin", "test.cfg:3: section 'f': keyword 'stats auth': 'admin' is not <user>:<password>")]
    [InlineData("stats refresh soon", "test.cfg:3: section 'f': keyword 'stats refresh': invalid time 'soon'")]
    [InlineData("stats admin", "test.cfg:3: section 'f': keyword 'stats admin': missing argument")]
    [InlineData("stats admin when TRUE", "test.cfg:3: section 'f': keyword 'stats admin': unexpected 'when' (expected 'if' or 'unless' followed by a condition)")]
    [InlineData("stats enabled", "test.cfg:3: section 'f': keyword 'stats'")]
    public void RejectsBadLines(string line, string expected) =>
        Assert.StartsWith(expected, SingleError($"frontend f\n bind :80\n {line}\n"));
}
