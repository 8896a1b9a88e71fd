using System.Net;
using Appliance.Config.Model;
using static Appliance.Tests.Config.ConfigTestSupport;

namespace Appliance.Tests.Config;

public class LogKeywordTests
{
    private const string Frontend = "frontend f\n bind :80\n";

    [Fact]
    public void GlobalTargetsParseEveryForm()
    {
        var global = LoadValid("""
            global
              log stdout format raw local0
              log stderr format short daemon notice
              log 127.0.0.1 local1
              log udp@10.0.0.5:1514 len 2048 format rfc5424 local7 info err
              log [::1]:5514 user
              log /dev/log local2 debug
              log-tag edge
              tune.log.ring-size 64k
            """).Global;
        Assert.Equal(
            [
                new LogTargetConfig(LogTargetKind.Stdout, null, null, 16, 7, SyslogFormat.Raw, 1024, new SourceLocation(FileName, 2)),
                new LogTargetConfig(LogTargetKind.Stderr, null, null, 3, 5, SyslogFormat.Short, 1024, new SourceLocation(FileName, 3)),
                new LogTargetConfig(LogTargetKind.Udp, new IPEndPoint(IPAddress.Parse("127.0.0.1"), 514), null, 17, 7, SyslogFormat.Rfc3164, 1024, new SourceLocation(FileName, 4)),
                new LogTargetConfig(LogTargetKind.Udp, new IPEndPoint(IPAddress.Parse("10.0.0.5"), 1514), null, 23, 6, SyslogFormat.Rfc5424, 2048, new SourceLocation(FileName, 5)),
                new LogTargetConfig(LogTargetKind.Udp, new IPEndPoint(IPAddress.IPv6Loopback, 5514), null, 1, 7, SyslogFormat.Rfc3164, 1024, new SourceLocation(FileName, 6)),
                new LogTargetConfig(LogTargetKind.UnixDatagram, null, "/dev/log", 18, 7, SyslogFormat.Rfc3164, 1024, new SourceLocation(FileName, 7)),
            ],
            global.LogTargets);
        Assert.Equal("edge", global.LogTag);
        Assert.Equal(64 * 1024, global.LogRingSize);
    }

    [Fact]
    public void ProxyTargetsResolveLogGlobalAndInheritFromDefaults()
    {
        var config = LoadValid($"""
            global
              log 127.0.0.1:514 local0
            defaults
              log global
              option httplog
            frontend a
              bind :80
              log stdout local1
            frontend b
              bind :81
              no log
              log stderr local2
              option tcplog
              option dontlognull
            frontend c
              bind :82
              no log
            """);
        Assert.Equal([LogTargetKind.Udp, LogTargetKind.Stdout], config.Frontends[0].Log.Targets.Select(t => t.Kind));
        Assert.Equal(LogOption.Http, config.Frontends[0].Log.Option);
        Assert.Equal([LogTargetKind.Stderr], config.Frontends[1].Log.Targets.Select(t => t.Kind));
        Assert.Equal((LogOption.Tcp, true), (config.Frontends[1].Log.Option, config.Frontends[1].Log.DontLogNull));
        Assert.False(config.Frontends[2].Log.Enabled);
    }

    [Fact]
    public void NoOptionUndoesOnlyItsOwnFormat()
    {
        var config = LoadValid("defaults\n option httplog\nfrontend a\n bind :80\n no option tcplog\nfrontend b\n bind :81\n no option httplog\n");
        Assert.Equal(LogOption.Http, config.Frontends[0].Log.Option);
        Assert.Equal(LogOption.Default, config.Frontends[1].Log.Option);
    }

    [Theory]
    [InlineData("global\n log stdout local9\n", "test.cfg:2: section 'global': keyword 'log': unknown facility 'local9'; did you mean 'local0'?")]
    [InlineData("global\n log stdout local0 verbose\n", "test.cfg:2: section 'global': keyword 'log': unknown log level 'verbose'")]
    [InlineData("global\n log stdout format json local0\n", "test.cfg:2: section 'global': keyword 'log': unknown log format 'json'")]
    [InlineData("global\n log stdout format iso local0\n", "test.cfg:2: section 'global': keyword 'log': log format 'iso' is not supported yet (use rfc3164, rfc5424, short or raw)")]
    [InlineData("global\n log stdout format raw\n", "test.cfg:2: section 'global': keyword 'log': missing facility; usage: log <target> [len <n>] [format rfc3164|rfc5424|short|raw] <facility> [<level> [<minlevel>]]")]
    [InlineData("global\n log global\n", "test.cfg:2: section 'global': keyword 'log': 'log global' is for proxies; the global section declares targets")]
    [InlineData("global\n log ring@buf local0\n", "test.cfg:2: section 'global': keyword 'log': log target 'ring@buf' is not supported yet (use stdout, stderr, a UDP ADDR[:PORT] or a Unix datagram path)")]
    [InlineData("global\n log 127.0.0.1:514 len 10 local0\n", "test.cfg:2: section 'global': keyword 'log': value 10 is out of range (80..65535)")]
    [InlineData("global\n log-tag a:b\n", "test.cfg:2: section 'global': keyword 'log-tag': 'a:b' is not a valid log tag (at most 32 characters, none of ' ', '[', ']', ':')")]
    [InlineData("global\n tune.log.ring-size 1k\n", "test.cfg:2: section 'global': keyword 'tune.log.ring-size': '1k' is out of range (4k to 1g)")]
    [InlineData(Frontend + " option httplog clf\n", "test.cfg:3: section 'f': keyword 'option httplog': 'clf' (Common Log Format) is not supported yet")]
    [InlineData(Frontend + " log global extra\n", "test.cfg:3: section 'f': keyword 'log': unexpected argument 'extra'; usage: log global | <target> [len <n>] [format rfc3164|rfc5424|short|raw] <facility> [<level> [<minlevel>]]")]
    public void RejectsBadLines(string text, string expected) => Assert.StartsWith(expected, SingleError(text));
}

public class LogFormatKeywordTests
{
    [Fact]
    public void LogFormatIsKeptAndTheLastOfItAndTheOptionsWins()
    {
        var config = LoadValid("""
            defaults
              log stdout local0
              log-format "%ci:%cp %ST %{+Q}r"
            frontend a
              bind :80
            frontend b
              bind :81
              option httplog
            """);
        Assert.Equal("%ci:%cp %ST %{+Q}r", config.Frontends[0].Log.Format);
        Assert.Null(config.Frontends[1].Log.Format);
        Assert.Equal(LogOption.Http, config.Frontends[1].Log.Option);
    }

    [Fact]
    public void AnInvalidFormatIsALocatedError() =>
        Assert.Equal("test.cfg:3: section 'f': keyword 'log-format': unknown or unsupported log-format variable '%zz'",
            SingleError("frontend f\n bind :80\n log-format \"%ci %zz\"\n"));
}
