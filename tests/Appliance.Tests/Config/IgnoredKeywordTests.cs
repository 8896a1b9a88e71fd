using Appliance.Config;
using Appliance.Config.Model;
using static Appliance.Tests.Config.ConfigTestSupport;

namespace Appliance.Tests.Config;

public class IgnoredKeywordTests
{
    /// <summary>
    /// Data/debian-haproxy.cfg is /etc/haproxy/haproxy.cfg as shipped by Debian 12's haproxy 2.6 package;
    /// its errorfiles are read from Data/errors (pages shaped like Debian's: HTTP/1.0, no Content-Length),
    /// so the test does not depend on haproxy being installed.
    /// </summary>
    private static string DebianConfigText() =>
        File.ReadAllText(DataPath("debian-haproxy.cfg")).Replace("/etc/haproxy/errors/", DataPath("errors") + "/", StringComparison.Ordinal);

    [Fact]
    public void DebianDefaultConfigLoadsWithWarningsOnly()
    {
        string path = DataPath("debian-haproxy.cfg");
        var result = ConfigLoader.LoadText(DebianConfigText(), path);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(
            [new StatsSocketConfig("/run/haproxy/admin.sock", Convert.ToInt32("660", 8), RuntimeApiLevel.Admin, new SourceLocation(path, 5))],
            result.Config!.Global.StatsSockets);
        Assert.Empty(result.Config.Frontends);
        Assert.Equal(
            [(LogTargetKind.UnixDatagram, "/dev/log", 16, 7), (LogTargetKind.UnixDatagram, "/dev/log", 17, 5)],
            result.Config.Global.LogTargets.Select(t => (t.Kind, t.Path, t.Facility, t.Level)));
        Assert.Equal(
            [
                "4: warning: section 'global': keyword 'chroot': not implemented yet, ignored",
                "6: warning: section 'global': keyword 'stats timeout': not implemented yet, ignored",
                "7: warning: section 'global': keyword 'user': not implemented yet, ignored",
                "8: warning: section 'global': keyword 'group': not implemented yet, ignored",
                "9: warning: section 'global': keyword 'daemon': not implemented yet, ignored",
                "12: warning: section 'global': keyword 'ca-base': not implemented yet, ignored",
                "13: warning: section 'global': keyword 'crt-base': not implemented yet, ignored",
                "16: warning: section 'global': keyword 'ssl-default-bind-ciphers': not implemented yet, ignored",
                "17: warning: section 'global': keyword 'ssl-default-bind-ciphersuites': not implemented yet, ignored",
                "18: warning: section 'global': keyword 'ssl-default-bind-options': not implemented yet, ignored",
            ],
            result.Warnings.Select(w => w.ToString()[(path.Length + 1)..]));
    }

    [Fact]
    public void DebianDefaultsApplyToProxiesAppendedToIt()
    {
        string text = DebianConfigText() +
            "\nfrontend web\n    bind :80\n    default_backend app\nbackend app\n    server a 127.0.0.1:8080 check\n";
        var config = LoadValid(text);
        Assert.Equal(ProxyMode.Http, config.Frontends[0].Mode);
        Assert.Equal([400, 403, 408, 500, 502, 503, 504], config.Frontends[0].ErrorFiles.Select(e => e.Status));
        Assert.Equal(config.Frontends[0].ErrorFiles, config.Backends[0].ErrorFiles);
        Assert.Equal(TimeSpan.FromMilliseconds(50000), config.Frontends[0].Timeouts.Client);
        Assert.Equal(TimeSpan.FromMilliseconds(5000), config.Backends[0].Timeouts.Connect);
        // log global + option httplog + option dontlognull from the defaults section.
        ProxyLogConfig log = config.Frontends[0].Log;
        Assert.Equal((LogOption.Http, true), (log.Option, log.DontLogNull));
        Assert.Equal(config.Global.LogTargets, log.Targets);
    }

    [Theory]
    [InlineData("global\n tune.bufsize 32768\n", "section 'global': keyword 'tune.bufsize'")]
    [InlineData("global\n pidfile /run/haproxy.pid\n", "section 'global': keyword 'pidfile'")]
    [InlineData("backend b\n option tcp-check\n", "section 'b': keyword 'option tcp-check'")]
    [InlineData("backend b\n no option http-pretend-keepalive\n", "section 'b': keyword 'option http-pretend-keepalive'")]
    [InlineData("backend b\n option httpchk\n http-check disable-on-404\n", "section 'b': keyword 'http-check disable-on-404'")]
    [InlineData("backend b\n hash-type consistent\n", "section 'b': keyword 'hash-type'")]
    [InlineData("backend b\n compression algo gzip\n", "section 'b': keyword 'compression'")]
    [InlineData("backend b\n stats show-legends\n", "section 'b': keyword 'stats show-legends'")]
    [InlineData("backend b\n timeout tarpit 5s\n", "section 'b': keyword 'timeout tarpit'")]
    [InlineData("frontend f\n bind :80\n capture request header Host len 32\n", "section 'f': keyword 'capture'")]
    [InlineData("frontend f\n bind :80\n http-request capture req.hdr(host) len 20\n", "section 'f': keyword 'http-request': action 'capture'")]
    [InlineData("frontend f\n bind :80\n option http-no-delay\n", "section 'f': keyword 'option http-no-delay'")]
    public void IgnoredKeywordsWarnInsteadOfFailing(string text, string where)
    {
        var result = Load(text);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var warning = Assert.Single(result.Warnings);
        Assert.EndsWith($": warning: {where}: not implemented yet, ignored", warning.ToString());
        Assert.True(warning.IsWarning);
    }

    [Fact]
    public void AnIgnoredKeywordWarnsOnceAtItsFirstUse()
    {
        var warnings = Warnings("defaults\n option nolinger\nbackend a\n option nolinger\nbackend b\n option nolinger\n");
        Assert.Equal(["test.cfg:2: warning: section 'defaults': keyword 'option nolinger': not implemented yet, ignored"], warnings);
    }

    [Fact]
    public void IgnoredSectionTypesAreSkippedWhole()
    {
        var result = Load("userlist admins\n user admin password $5$xyz\nresolvers dns\n nameserver ns1 10.0.0.1:53\nbackend b\n");
        Assert.True(result.Succeeded);
        Assert.Equal(
            ["test.cfg:1: warning: keyword 'userlist': section type not implemented yet, ignored with its contents",
             "test.cfg:3: warning: keyword 'resolvers': section type not implemented yet, ignored with its contents"],
            result.Warnings.Select(w => w.ToString()));
        Assert.Single(result.Config!.Backends);
    }

    [Fact]
    public void UnknownOptionIsStillAnError() =>
        Assert.Equal("test.cfg:2: section 'b': keyword 'option': unknown option 'htpchk'; did you mean 'httpchk'?",
            SingleError("backend b\n option htpchk\n"));
}
