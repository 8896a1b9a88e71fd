using System.Net;
using Appliance.Runtime;

namespace Appliance.Tests.Runtime;

/// <summary>
/// Parsing of <c>add server</c>'s arguments: HAProxy's dynamic-server rules (no default-server, always created
/// in maintenance, a subset of the server options) with the configuration's own option validation.
/// </summary>
public sealed class AddServerRequestTests
{
    [Fact]
    public void A_full_line_gives_the_server_definition()
    {
        var request = Parse("be/web3 10.0.0.3:8080 weight 5 check inter 500ms fastinter 100ms downinter 2s rise 3 fall 4 port 9090 maxconn 20 backup");
        Assert.Equal("be", request.Backend);
        Assert.Equal("web3", request.Server);
        var config = request.Config;
        Assert.Equal("web3", config.Name);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.3"), 8080), config.Address);
        Assert.Equal(5, config.Weight);
        Assert.True(config.Check);
        Assert.Equal(TimeSpan.FromMilliseconds(500), config.Inter);
        Assert.Equal(TimeSpan.FromMilliseconds(100), config.FastInter);
        Assert.Equal(TimeSpan.FromSeconds(2), config.DownInter);
        Assert.Equal((3, 4), (config.Rise, config.Fall));
        Assert.Equal(9090, config.CheckPort);
        Assert.Equal(20, config.MaxConn);
        Assert.True(config.Backup);
        Assert.True(config.Disabled);
    }

    [Fact]
    public void Defaults_are_haproxys_and_the_server_starts_in_maintenance()
    {
        var config = Parse("be/s [::1]:80").Config;
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 80), config.Address);
        Assert.Equal((1, false, 0, false, 2, 3), (config.Weight, config.Check, config.MaxConn, config.Backup, config.Rise, config.Fall));
        Assert.True(config.Disabled);
        Assert.True(Parse("be/s 127.0.0.1:80 disabled").Config.Disabled);
    }

    [Theory]
    [InlineData("", "Require 'backend/server'.")]
    [InlineData("be", "Require 'backend/server'.")]
    [InlineData("be/", "Require 'backend/server'.")]
    [InlineData("/s 127.0.0.1:80", "Require 'backend/server'.")]
    [InlineData("be/s", "Require an address (<addr>:<port>).")]
    [InlineData("be/s 127.0.0.1", "Invalid address: '127.0.0.1': missing port (expected ADDR:PORT).")]
    [InlineData("be/s 127.0.0:80", "Invalid address: '127.0.0:80': invalid IP address '127.0.0'.")]
    [InlineData("be/s db.example:80", "Invalid address: 'db.example:80': hostname resolution not supported, use an IP address.")]
    [InlineData("be/s! 127.0.0.1:80", "Invalid server name: invalid character '!' in name 's!' (allowed: letters, digits, '-', '_', '.', ':').")]
    [InlineData("be/s 127.0.0.1:80 slowstart 10s", "'slowstart' option is not accepted for dynamic server (supported: weight, check, inter, fastinter, downinter, rise, fall, port, maxconn, backup, disabled).")]
    [InlineData("be/s 127.0.0.1:80 ssl", "'ssl' option is not accepted for dynamic server (supported: weight, check, inter, fastinter, downinter, rise, fall, port, maxconn, backup, disabled).")]
    [InlineData("be/s 127.0.0.1:80 enabled", "'enabled' option is not accepted for dynamic server: it starts in maintenance, use 'enable server'.")]
    [InlineData("be/s 127.0.0.1:80 wieght 2", "'wieght' is not a server option.")]
    [InlineData("be/s 127.0.0.1:80 weight 300", "option 'weight': value 300 is out of range (0..256).")]
    [InlineData("be/s 127.0.0.1:80 weight", "option 'weight' needs a value (weight <0..256>).")]
    [InlineData("be/s 127.0.0.1:80 inter 0", "option 'inter': the interval must be more than 0.")]
    [InlineData("be/s 127.0.0.1:80 check rise x", "option 'rise': invalid number 'x'.")]
    public void Bad_arguments_are_refused_with_one_line(string arguments, string error)
    {
        var exception = Assert.Throws<ArgumentException>(() => Parse(arguments));
        Assert.Equal(error, exception.Message);
        Assert.DoesNotContain('\n', exception.Message);
    }

    [Fact]
    public void Option_values_are_not_mistaken_for_option_names()
    {
        // "port 80": 80 is port's value, not an unknown option; "weight 2 check": check is an option.
        var config = Parse("be/s 127.0.0.1:80 port 80 weight 2 check").Config;
        Assert.Equal((80, 2, true), (config.CheckPort, config.Weight, config.Check));
    }

    private static AddServerRequest Parse(string arguments) =>
        AddServerRequest.Parse(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
