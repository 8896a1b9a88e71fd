using System.Net;
using Appliance.Config.Model;
using static Appliance.Tests.Config.ConfigTestSupport;

namespace Appliance.Tests.Config;

public class ProxyKeywordTests
{
    private static FrontendConfig SingleFrontend(string body) =>
        Assert.Single(LoadValid("frontend f\n" + body + "\nbackend b\n").Frontends);

    [Fact]
    public void ModeDefaultsToTcpAndCanBeHttp()
    {
        var config = LoadValid("frontend f\n bind :80\n mode http\n default_backend b\nbackend b\n mode http\nbackend t\n");
        Assert.Equal(ProxyMode.Http, config.Frontends[0].Mode);
        Assert.Equal(ProxyMode.Http, config.FindBackend("b")!.Mode);
        Assert.Equal(ProxyMode.Tcp, config.FindBackend("t")!.Mode);
    }

    [Theory]
    [InlineData("mode http", "", true)]
    [InlineData("mode tcp", "", false)]
    [InlineData("mode http", "no option tcp-smart-accept", false)]
    [InlineData("mode tcp", "option tcp-smart-accept", true)]
    public void TcpSmartAcceptIsOnByDefaultInHttpMode(string mode, string option, bool expected)
    {
        var config = LoadValid($"defaults\n {mode}\nfrontend f\n bind :80\n {option}\n default_backend b\nbackend b\n");
        Assert.Equal(expected, config.Frontends[0].SmartAccept);
    }

    [Fact]
    public void TcpSmartConnectIsOffUnlessAskedAndInheritsFromDefaults()
    {
        var config = LoadValid("backend a\ndefaults\n option tcp-smart-connect\nbackend b\nbackend c\n no option tcp-smart-connect\n");
        Assert.Equal([false, true, false], config.Backends.Select(b => b.SmartConnect));
    }

    [Fact]
    public void ConnectionModeIsKeepAliveUnlessSetInheritsAndTheLastOptionWins()
    {
        var config = LoadValid(
            "backend a\ndefaults\n option http-server-close\nbackend b\nbackend c\n option httpclose\nbackend d\n no option http-server-close\n" +
            "backend e\n no option httpclose\nbackend f\n option httpclose\n option http-keep-alive\n" +
            "frontend g\n bind :80\n option httpclose\n default_backend a\n");
        Assert.Equal(
            [HttpConnectionMode.KeepAlive, HttpConnectionMode.ServerClose, HttpConnectionMode.Close, HttpConnectionMode.KeepAlive,
                HttpConnectionMode.ServerClose, HttpConnectionMode.KeepAlive],
            config.Backends.Select(b => b.ConnectionMode));
        Assert.Equal(HttpConnectionMode.Close, Assert.Single(config.Frontends).ConnectionMode);
    }

    [Fact]
    public void HttpReuseIsSafeUnlessSetAndInheritsFromDefaults()
    {
        var config = LoadValid(
            "backend a\ndefaults\n http-reuse always\nbackend b\nbackend c\n http-reuse never\nbackend d\n http-reuse aggressive\n" +
            "backend e\n http-reuse safe\n");
        Assert.Equal([HttpReuseMode.Safe, HttpReuseMode.Always, HttpReuseMode.Never, HttpReuseMode.Aggressive, HttpReuseMode.Safe],
            config.Backends.Select(b => b.HttpReuse));
    }

    [Theory]
    [InlineData("http-reuse sometimes", "unknown mode 'sometimes' (expected never, safe, aggressive or always)")]
    [InlineData("http-reuse", "missing argument; usage: http-reuse never|safe|aggressive|always")]
    public void RejectsBadHttpReuse(string line, string message) =>
        Assert.Equal($"test.cfg:2: section 'b': keyword 'http-reuse': {message}", SingleError("backend b\n " + line));

    [Fact]
    public void ParsesEveryBindForm()
    {
        var frontend = SingleFrontend(
            " bind *:80\n bind :81\n bind 0.0.0.0:8081\n bind 127.0.0.1:9000\n bind [::]:82\n bind :::83\n bind [::1]:84\n" +
            " bind :85,127.0.0.1:86 v6only\n bind [::]:87 v6only\n bind [::]:88 v4v6");
        Assert.Equal(
            ["0.0.0.0:80", "0.0.0.0:81", "0.0.0.0:8081", "127.0.0.1:9000", "[::]:82", "[::]:83", "[::1]:84", "0.0.0.0:85",
             "127.0.0.1:86", "[::]:87", "[::]:88"],
            frontend.Binds.Select(b => b.EndPoint.ToString()));
        Assert.Equal([false, false, false, false, false, false, false, true, true, true, false], frontend.Binds.Select(b => b.V6Only));
        Assert.Equal([2, 3, 4, 5, 6, 7, 8, 9, 9, 10, 11], frontend.Binds.Select(b => b.Location.Line));
    }

    [Fact]
    public void AcceptProxyAppliesToEveryAddressOfItsLine()
    {
        var frontend = SingleFrontend(" bind :80,:81 accept-proxy\n bind :82");
        Assert.Equal([true, true, false], frontend.Binds.Select(b => b.AcceptProxy));
    }

    [Theory]
    [InlineData("bind :80 foo", "unknown option 'foo'")]
    [InlineData("bind :80 v6onyl", "unknown option 'v6onyl'; did you mean 'v6only'?")]
    [InlineData("bind :443 ssl crt /etc/cert.pem", "options 'ssl', 'crt' are not supported yet")]
    [InlineData("bind :80 accept-netscaler-cip 1234", "option 'accept-netscaler-cip' is not supported yet")]
    [InlineData("bind :80-81", "':80-81': port ranges are not supported yet (use one port per address)")]
    [InlineData("bind :0", "':0': invalid port '0' (must be 1..65535)")]
    [InlineData("bind :70000", "':70000': invalid port '70000' (must be 1..65535)")]
    [InlineData("bind www.example.com:80", "'www.example.com:80': hostname resolution not supported, use an IP address")]
    [InlineData("bind", "missing argument; usage: bind <addr>:<port>[,...] [options...]")]
    public void RejectsBadBinds(string line, string message) =>
        Assert.Equal($"test.cfg:2: section 'f': keyword 'bind': {message}", SingleError("frontend f\n " + line));

    [Fact]
    public void IgnoredBindOptionWarnsAndKeepsTheBind()
    {
        var result = Load("frontend f\n bind :80 name web defer-accept\n");
        Assert.True(result.Succeeded);
        Assert.Equal(80, Assert.Single(result.Config!.Frontends[0].Binds).EndPoint.Port);
        Assert.Equal(
            ["test.cfg:2: warning: section 'f': keyword 'bind': option 'name' not implemented yet, ignored",
             "test.cfg:2: warning: section 'f': keyword 'bind': option 'defer-accept' not implemented yet, ignored"],
            result.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void ParsesEveryTimeout()
    {
        var config = LoadValid("""
            defaults
                timeout connect 5000
                timeout client 50s
                timeout server 1m
                timeout check 2s
                timeout queue 30s
                timeout http-request 10s
                timeout http-keep-alive 1s
                timeout tunnel 1h
                timeout client-fin 3s
                timeout server-fin 4s
            backend b
            """);
        Assert.Equal(
            new Timeouts(
                Connect: TimeSpan.FromSeconds(5), Client: TimeSpan.FromSeconds(50), Server: TimeSpan.FromMinutes(1),
                Check: TimeSpan.FromSeconds(2), Queue: TimeSpan.FromSeconds(30), HttpRequest: TimeSpan.FromSeconds(10),
                HttpKeepAlive: TimeSpan.FromSeconds(1), Tunnel: TimeSpan.FromHours(1), ClientFin: TimeSpan.FromSeconds(3),
                ServerFin: TimeSpan.FromSeconds(4)),
            config.Backends[0].Timeouts);
    }

    [Fact]
    public void TimeoutsOfOneSectionOverrideDefaults()
    {
        var config = LoadValid("defaults\n timeout connect 5s\n timeout server 10s\nbackend b\n timeout server 20s\n");
        var timeouts = config.Backends[0].Timeouts;
        Assert.Equal(TimeSpan.FromSeconds(5), timeouts.Connect);
        Assert.Equal(TimeSpan.FromSeconds(20), timeouts.Server);
        Assert.Null(timeouts.Client);
    }

    [Theory]
    [InlineData("timeout clent 5s", "timeout", "unknown timeout 'clent'; did you mean 'client'?")]
    [InlineData("timeout", "timeout", "missing argument (expected one of: connect, client, server, check, queue, http-request, http-keep-alive, tunnel, client-fin, server-fin, tarpit)")]
    [InlineData("timeout client", "timeout client", "missing argument; usage: timeout client <time>")]
    [InlineData("timeout client -1", "timeout client", "negative time '-1'")]
    [InlineData("timeout client 3000000s", "timeout client", "time '3000000s' is too large (maximum 2147483647 ms, about 24.8 days)")]
    public void RejectsBadTimeouts(string line, string keyword, string message) =>
        Assert.Equal($"test.cfg:2: section 'defaults': keyword '{keyword}': {message}", SingleError("defaults\n " + line));

    [Theory]
    [InlineData("roundrobin", BalanceAlgorithm.RoundRobin)]
    [InlineData("static-rr", BalanceAlgorithm.StaticRoundRobin)]
    [InlineData("leastconn", BalanceAlgorithm.LeastConn)]
    [InlineData("first", BalanceAlgorithm.First)]
    [InlineData("source", BalanceAlgorithm.Source)]
    [InlineData("random", BalanceAlgorithm.Random)]
    [InlineData("random(2)", BalanceAlgorithm.Random)]
    public void ParsesBalance(string word, BalanceAlgorithm expected) =>
        Assert.Equal(expected, SingleBackend($" balance {word}\n").Balance);

    [Fact]
    public void BalanceDefaultsToRoundRobin() => Assert.Equal(BalanceAlgorithm.RoundRobin, SingleBackend("").Balance);

    [Theory]
    [InlineData("balance uri", "balance 'uri' is not supported yet (supported: roundrobin, static-rr, leastconn, first, source, random)")]
    [InlineData("balance url_param userid", "balance 'url_param' is not supported yet (supported: roundrobin, static-rr, leastconn, first, source, random)")]
    [InlineData("balance hdr(host)", "balance 'hdr' is not supported yet (supported: roundrobin, static-rr, leastconn, first, source, random)")]
    [InlineData("balance roundrobn", "unknown balance algorithm 'roundrobn'; did you mean 'roundrobin'?")]
    [InlineData("balance random(3)", "'random(3)': only 'random' with the default two draws, random(2), is supported")]
    [InlineData("balance roundrobin extra", "unexpected argument 'extra': balance roundrobin takes no arguments")]
    public void RejectsBadBalance(string line, string message) =>
        Assert.Equal($"test.cfg:2: section 'b': keyword 'balance': {message}", SingleError("backend b\n " + line));

    [Fact]
    public void ParsesRetriesAndRedispatch()
    {
        var backend = SingleBackend(" retries 5\n option redispatch\n");
        Assert.Equal(5, backend.Retries);
        Assert.True(backend.Redispatch);
        Assert.False(SingleBackend("").Redispatch);
    }

    [Fact]
    public void NoOptionRedispatchTurnsOffAnInheritedRedispatch()
    {
        var config = LoadValid("defaults\n option redispatch\nbackend on\nbackend off\n no option redispatch\n");
        Assert.True(config.FindBackend("on")!.Redispatch);
        Assert.False(config.FindBackend("off")!.Redispatch);
    }

    [Fact]
    public void ParsesFrontendMaxConn()
    {
        Assert.Equal(500, SingleFrontend(" bind :80\n maxconn 500").MaxConn);
        Assert.Equal(0, SingleFrontend(" bind :80").MaxConn);
    }

    [Fact]
    public void ParsesDefaultBackend() => Assert.Equal("b", SingleFrontend(" bind :80\n default_backend b").DefaultBackend);

    [Theory]
    [InlineData("mode udp", "mode", "unknown mode 'udp' (expected tcp or http)")]
    [InlineData("mode htp", "mode", "unknown mode 'htp' (expected tcp or http); did you mean 'http'?")]
    [InlineData("mode", "mode", "missing argument; usage: mode tcp|http")]
    [InlineData("retries -1", "retries", "value -1 is out of range (must be at least 0)")]
    [InlineData("retries x", "retries", "invalid number 'x'")]
    [InlineData("option redispatch now", "option redispatch", "unexpected argument 'now'; usage: option redispatch")]
    [InlineData("option redispach", "option", "unknown option 'redispach'; did you mean 'redispatch'?")]
    [InlineData("no retries 3", "retries", "cannot be negated with 'no'")]
    [InlineData("server-template srv 3 app.local:80", "server-template", "not supported yet (needs DNS resolution)")]
    public void RejectsBadBackendKeywords(string line, string keyword, string message) =>
        Assert.Equal($"test.cfg:2: section 'b': keyword '{keyword}': {message}", SingleError("backend b\n " + line));
}
