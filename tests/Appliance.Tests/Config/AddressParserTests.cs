using System.Net;
using Appliance.Config.Addresses;

namespace Appliance.Tests.Config;

public class AddressParserTests
{
    [Theory]
    [InlineData("*:80", "0.0.0.0:80")]
    [InlineData(":80", "0.0.0.0:80")]
    [InlineData("0.0.0.0:8081", "0.0.0.0:8081")]
    [InlineData("127.0.0.1:9000", "127.0.0.1:9000")]
    [InlineData("[::]:80", "[::]:80")]
    [InlineData(":::80", "[::]:80")]
    [InlineData("[::1]:80", "[::1]:80")]
    [InlineData("::1:443", "[::1]:443")]
    [InlineData("localhost:8080", "127.0.0.1:8080")]
    [InlineData("ipv4@:80", "0.0.0.0:80")]
    [InlineData("ipv6@:80", "[::]:80")]
    [InlineData("tcp@10.1.2.3:65535", "10.1.2.3:65535")]
    public void ParsesBindAddresses(string text, string expected)
    {
        Assert.True(AddressParser.TryParseBindList(text, out var endPoints, out string error), error);
        Assert.Equal(expected, Assert.Single(endPoints).ToString());
    }

    [Fact]
    public void ParsesCommaSeparatedBindAddresses()
    {
        Assert.True(AddressParser.TryParseBindList(":80,[::1]:81,127.0.0.1:82", out var endPoints, out _));
        Assert.Equal(["0.0.0.0:80", "[::1]:81", "127.0.0.1:82"], endPoints.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("127.0.0.1:9094", "127.0.0.1:9094")]
    [InlineData("[2001:db8::5]:8080", "[2001:db8::5]:8080")]
    [InlineData("2001:db8::5:8080", "[2001:db8::5]:8080")]
    [InlineData("localhost:1", "127.0.0.1:1")]
    [InlineData("ipv6@localhost:9", "[::1]:9")]
    public void ParsesServerAddresses(string text, string expected)
    {
        Assert.True(AddressParser.TryParseServer(text, out IPEndPoint endPoint, out string error), error);
        Assert.Equal(expected, endPoint.ToString());
    }

    [Theory]
    [InlineData("127.0.0.1", "'127.0.0.1': missing port (expected ADDR:PORT)")]
    [InlineData("127.0.0.1:", "'127.0.0.1:': missing port (expected ADDR:PORT)")]
    [InlineData("127.0.0.1:0", "'127.0.0.1:0': invalid port '0' (must be 1..65535)")]
    [InlineData("127.0.0.1:65536", "'127.0.0.1:65536': invalid port '65536' (must be 1..65535)")]
    [InlineData("127.0.0.1:http", "'127.0.0.1:http': invalid port 'http' (must be 1..65535)")]
    [InlineData("127.0.0.1:80-90", "'127.0.0.1:80-90': port ranges are not supported yet (use one port per address)")]
    [InlineData("app.example.com:80", "'app.example.com:80': hostname resolution not supported, use an IP address")]
    [InlineData("10.0.0:80", "'10.0.0:80': invalid IP address '10.0.0'")]
    [InlineData("300.1.1.1:80", "'300.1.1.1:80': invalid IP address '300.1.1.1'")]
    [InlineData("*:80", "'*:80': a server needs an address, not '*'")]
    [InlineData("[::1:80", "'[::1:80': missing ']' after IPv6 address")]
    [InlineData("[::1]80", "'[::1]80': missing port (expected ADDR:PORT)")]
    [InlineData("/run/app.sock", "'/run/app.sock': Unix socket addresses are not supported yet")]
    [InlineData("unix@/run/app.sock", "'unix@/run/app.sock': address prefix 'unix@' is not supported (only TCP addresses are)")]
    [InlineData("ipv4@::1:80", "'ipv4@::1:80': address '::1' does not match its prefix's address family")]
    public void RejectsBadServerAddresses(string text, string expected)
    {
        Assert.False(AddressParser.TryParseServer(text, out _, out string error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void RejectsABindListWhenAnyAddressIsBad()
    {
        Assert.False(AddressParser.TryParseBindList(":80,:0", out _, out string error));
        Assert.Equal("':0': invalid port '0' (must be 1..65535)", error);
    }
}
