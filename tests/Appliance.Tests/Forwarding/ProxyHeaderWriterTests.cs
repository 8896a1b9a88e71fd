using System.Net;
using System.Text;
using Appliance.Config.Model;
using Appliance.Forwarding.ProxyProtocol;
using SocketAddress = Appliance.Native.SocketAddress;

namespace Appliance.Tests.Forwarding;

/// <summary>
/// The header of <c>send-proxy</c> / <c>send-proxy-v2</c>: v1's exact text, and for both versions what the
/// proxy's own reader (<c>accept-proxy</c>) makes of it; mixed families are written IPv4-mapped.
/// </summary>
public sealed class ProxyHeaderWriterTests
{
    private static byte[] Address(string endPoint)
    {
        byte[] address = new byte[SocketAddress.MaxLength];
        SocketAddress.Write(IPEndPoint.Parse(endPoint), address);
        return address;
    }

    private static byte[] Write(ProxyProtocolVersion version, string source, string destination)
    {
        byte[] output = new byte[ProxyHeaderWriter.MaxLength];
        int length = ProxyHeaderWriter.Write(version, Address(source), Address(destination), output);
        return output[..length];
    }

    [Theory]
    [InlineData("203.0.113.7:51234", "192.0.2.1:80", "PROXY TCP4 203.0.113.7 192.0.2.1 51234 80\r\n")]
    [InlineData("[2001:db8::7]:443", "[2001:db8::1]:8443", "PROXY TCP6 2001:db8::7 2001:db8::1 443 8443\r\n")]
    [InlineData("203.0.113.7:1", "[2001:db8::1]:2", "PROXY TCP6 ::ffff:203.0.113.7 2001:db8::1 1 2\r\n")]
    public void Version1IsOneLine(string source, string destination, string expected) =>
        Assert.Equal(expected, Encoding.ASCII.GetString(Write(ProxyProtocolVersion.V1, source, destination)));

    [Theory]
    [InlineData(ProxyProtocolVersion.V1, "203.0.113.7:51234", "192.0.2.1:80", 43)]
    [InlineData(ProxyProtocolVersion.V2, "203.0.113.7:51234", "192.0.2.1:80", 28)]
    [InlineData(ProxyProtocolVersion.V2, "[2001:db8::7]:443", "[2001:db8::1]:8443", 52)]
    public void TheReaderTakesTheClientBackFromEitherVersion(ProxyProtocolVersion version, string source, string destination, int length)
    {
        byte[] header = Write(version, source, destination);
        byte[] parsed = new byte[SocketAddress.MaxLength];
        ProxyHeaderResult result = ProxyHeaderParser.Parse(header, parsed);
        Assert.Equal((ProxyHeaderStatus.Complete, length, true), (result.Status, result.Length, result.HasSource));
        Assert.Equal(IPEndPoint.Parse(source), SocketAddress.ToEndPoint(parsed));
    }

    [Theory]
    [InlineData(ProxyProtocolVersion.V1)]
    [InlineData(ProxyProtocolVersion.V2)]
    public void AChecksHeaderNamesNoClient(ProxyProtocolVersion version)
    {
        byte[] header = ProxyHeaderWriter.ForCheck(version);
        ProxyHeaderResult result = ProxyHeaderParser.Parse(header, new byte[SocketAddress.MaxLength]);
        Assert.Equal((ProxyHeaderStatus.Complete, header.Length, false), (result.Status, result.Length, result.HasSource));
    }
}
