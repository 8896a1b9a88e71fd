using System.Net;
using Appliance.Config.Model;
using static Appliance.Tests.Config.ConfigTestSupport;

namespace Appliance.Tests.Config;

public class ServerKeywordTests
{
    private static ServerConfig SingleServer(string body) => Assert.Single(SingleBackend(body).Servers);

    [Fact]
    public void PlainServerHasHaproxyDefaults()
    {
        var server = SingleServer(" server s 10.0.0.1:80\n");
        Assert.Equal(new ServerConfig("s", new IPEndPoint(IPAddress.Parse("10.0.0.1"), 80), new SourceLocation(FileName, 2)), server);
        Assert.Equal(TimeSpan.FromSeconds(2), server.EffectiveInter);
    }

    [Fact]
    public void ParsesEveryServerOption()
    {
        var server = SingleServer(
            " server s [::1]:8080 check inter 5s fastinter 500 downinter 1m rise 4 fall 5 weight 256 backup maxconn 100 disabled\n");
        Assert.Equal(
            new ServerConfig("s", new IPEndPoint(IPAddress.IPv6Loopback, 8080), new SourceLocation(FileName, 2),
                Check: true, Inter: TimeSpan.FromSeconds(5), FastInter: TimeSpan.FromMilliseconds(500),
                DownInter: TimeSpan.FromMinutes(1), Rise: 4, Fall: 5, Weight: 256, Backup: true, MaxConn: 100, Disabled: true),
            server);
    }

    [Theory]
    [InlineData("server s ::1:80", "[::1]:80")]
    [InlineData("server s localhost:80", "127.0.0.1:80")]
    [InlineData("server s 192.168.1.10:65535", "192.168.1.10:65535")]
    public void ParsesServerAddressForms(string line, string expected) =>
        Assert.Equal(expected, SingleServer(" " + line + "\n").Address.ToString());

    [Fact]
    public void WeightZeroIsAllowed() => Assert.Equal(0, SingleServer(" server s 10.0.0.1:80 weight 0\n").Weight);

    [Fact]
    public void DefaultServerAppliesToLaterServersAndServerOptionsWin()
    {
        var backend = SingleBackend(
            " default-server check inter 3s rise 5\n" +
            " server a 10.0.0.1:80\n" +
            " server b 10.0.0.2:80 no-check rise 1\n" +
            " default-server weight 10\n" +
            " server c 10.0.0.3:80\n");
        Assert.Equal([true, false, true], backend.Servers.Select(s => s.Check));
        Assert.Equal([5, 1, 5], backend.Servers.Select(s => s.Rise));
        Assert.Equal([1, 1, 10], backend.Servers.Select(s => s.Weight));
        Assert.All(backend.Servers, s => Assert.Equal(TimeSpan.FromSeconds(3), s.Inter));
    }

    [Fact]
    public void DefaultServerIsInheritedFromDefaultsAndExtendedByTheBackend()
    {
        var config = LoadValid(
            "defaults\n default-server check fall 7 disabled\n" +
            "backend b\n default-server enabled backup\n server s 10.0.0.1:80\n" +
            "backend c\n server t 10.0.0.1:81 no-backup\n");
        var s = config.FindBackend("b")!.Servers[0];
        Assert.True(s.Check);
        Assert.Equal(7, s.Fall);
        Assert.False(s.Disabled);
        Assert.True(s.Backup);
        var t = config.FindBackend("c")!.Servers[0];
        Assert.True(t.Disabled);
        Assert.False(t.Backup);
    }

    [Fact]
    public void ParsesIdlePoolOptionsAndInheritsThemFromDefaultServer()
    {
        var backend = SingleBackend(
            " default-server pool-max-conn 10 pool-purge-delay 0\n" +
            " server a 10.0.0.1:80\n" +
            " server b 10.0.0.2:80 pool-max-conn -1 pool-low-conn 4 pool-purge-delay 30s\n" +
            " server c 10.0.0.3:80 pool-max-conn 0 pool-purge-delay 250\n");
        Assert.Equal([10, -1, 0], backend.Servers.Select(s => s.PoolMaxConn));
        Assert.Equal([0, 4, 0], backend.Servers.Select(s => s.PoolLowConn));
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250)],
            backend.Servers.Select(s => s.EffectivePoolPurgeDelay));
        var plain = SingleServer(" server s 10.0.0.1:80\n");
        Assert.Equal((-1, 0, TimeSpan.FromSeconds(5)), (plain.PoolMaxConn, plain.PoolLowConn, plain.EffectivePoolPurgeDelay));
    }

    [Fact]
    public void ParsesSendProxyAndItsNegationOverDefaultServer()
    {
        var backend = SingleBackend(
            " default-server send-proxy-v2\n" +
            " server a 10.0.0.1:80\n" +
            " server b 10.0.0.2:80 no-send-proxy-v2\n" +
            " server c 10.0.0.3:80 send-proxy\n" +
            " server d 10.0.0.4:80 no-send-proxy\n");
        Assert.Equal([ProxyProtocolVersion.V2, ProxyProtocolVersion.None, ProxyProtocolVersion.V1, ProxyProtocolVersion.V2],
            backend.Servers.Select(s => s.SendProxy));
        Assert.Equal(ProxyProtocolVersion.None, SingleServer(" server s 10.0.0.1:80\n").SendProxy);
    }

    [Theory]
    [InlineData("server s 10.0.0.1:80 chek", "unknown option 'chek'; did you mean 'check'?")]
    [InlineData("server s 10.0.0.1:80 bogus", "unknown option 'bogus'")]
    [InlineData("server s 10.0.0.1:80 weight 257", "option 'weight': value 257 is out of range (0..256)")]
    [InlineData("server s 10.0.0.1:80 weight -1", "option 'weight': value -1 is out of range (0..256)")]
    [InlineData("server s 10.0.0.1:80 rise 0", "option 'rise': value 0 is out of range (must be at least 1)")]
    [InlineData("server s 10.0.0.1:80 fall 0", "option 'fall': value 0 is out of range (must be at least 1)")]
    [InlineData("server s 10.0.0.1:80 maxconn -5", "option 'maxconn': value -5 is out of range (must be at least 0)")]
    [InlineData("server s 10.0.0.1:80 inter 0", "option 'inter': the interval must be more than 0")]
    [InlineData("server s 10.0.0.1:80 pool-max-conn -2", "option 'pool-max-conn': value -2 is out of range (must be at least -1)")]
    [InlineData("server s 10.0.0.1:80 pool-low-conn -1", "option 'pool-low-conn': value -1 is out of range (must be at least 0)")]
    [InlineData("server s 10.0.0.1:80 pool-purge-delay 5q", "option 'pool-purge-delay': invalid unit 'q' in time '5q' (expected us, ms, s, m, h or d)")]
    [InlineData("server s 10.0.0.1:80 inter 1x", "option 'inter': invalid unit 'x' in time '1x' (expected us, ms, s, m, h or d)")]
    [InlineData("server s 10.0.0.1:80 inter", "option 'inter' needs a value (inter <time>)")]
    [InlineData("server s 10.0.0.1:80 ssl verify none", "options 'ssl', 'verify' are not supported yet")]
    [InlineData("server s 10.0.0.1:80 check addr 10.0.0.2", "option 'addr' is not supported yet")]
    [InlineData("server s 10.0.0.1:80 check port 0", "option 'port': value 0 is out of range (1..65535)")]
    [InlineData("server s 10.0.0.1:80 check port 65536", "option 'port': value 65536 is out of range (1..65535)")]
    [InlineData("server s 10.0.0.1", "'10.0.0.1': missing port (expected ADDR:PORT)")]
    [InlineData("server s 10.0.0.1:0", "'10.0.0.1:0': invalid port '0' (must be 1..65535)")]
    [InlineData("server s app.internal:80", "'app.internal:80': hostname resolution not supported, use an IP address")]
    [InlineData("server s", "missing argument; usage: server <name> <addr>:<port> [options...]")]
    public void RejectsBadServerLines(string line, string message) =>
        Assert.Equal($"test.cfg:2: section 'b': keyword 'server': {message}", SingleError("backend b\n " + line));

    [Fact]
    public void ReportsEveryMistakeOfOneServerLine()
    {
        var result = Load("backend b\n server s nowhere:80 chek weight 999\n");
        Assert.Equal(
            ["test.cfg:2: section 'b': keyword 'server': 'nowhere:80': hostname resolution not supported, use an IP address",
             "test.cfg:2: section 'b': keyword 'server': unknown option 'chek'; did you mean 'check'?",
             "test.cfg:2: section 'b': keyword 'server': option 'weight': value 999 is out of range (0..256)"],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void IgnoredServerOptionsWarnOncePerOption()
    {
        var result = Load("backend b\n server a 10.0.0.1:80 cookie a slowstart 10s\n server b 10.0.0.2:80 cookie b\n");
        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Config!.Backends[0].Servers.Count);
        Assert.Equal(
            ["test.cfg:2: warning: section 'b': keyword 'server': option 'cookie' not implemented yet, ignored",
             "test.cfg:2: warning: section 'b': keyword 'server': option 'slowstart' not implemented yet, ignored"],
            result.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void DefaultServerRejectsUnknownOptions() =>
        Assert.Equal("test.cfg:2: section 'defaults': keyword 'default-server': unknown option 'rize'; did you mean 'rise'?",
            SingleError("defaults\n default-server rize 3\n"));
}
