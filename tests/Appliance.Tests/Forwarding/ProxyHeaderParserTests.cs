using System.Buffers.Binary;
using System.Net;
using System.Text;
using Appliance.Forwarding.ProxyProtocol;
using SocketAddress = Appliance.Native.SocketAddress;

namespace Appliance.Tests.Forwarding;

/// <summary>
/// The PROXY protocol header of <c>bind … accept-proxy</c> (haproxy.org's proxy-protocol.txt, versions 1 and
/// 2): the client's address is taken from it, its exact length is consumed, a header still arriving waits,
/// and anything else closes the connection.
/// </summary>
public sealed class ProxyHeaderParserTests
{
    private static (ProxyHeaderResult Result, IPEndPoint? Source) Parse(ReadOnlySpan<byte> data)
    {
        byte[] source = new byte[SocketAddress.MaxLength];
        ProxyHeaderResult result = ProxyHeaderParser.Parse(data, source);
        return (result, result.HasSource ? SocketAddress.ToEndPoint(source) : null);
    }

    [Theory]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 51234 80\r\nGET /", "203.0.113.7:51234", 43)]
    [InlineData("PROXY TCP6 2001:db8::7 2001:db8::1 65535 443\r\n", "[2001:db8::7]:65535", 46)]
    [InlineData("PROXY TCP4 10.0.0.1 10.0.0.2 0 0\r\n", "10.0.0.1:0", 34)]
    public void AVersion1LineNamesTheClient(string text, string client, int length)
    {
        var (result, source) = Parse(Encoding.ASCII.GetBytes(text));
        Assert.Equal(ProxyHeaderStatus.Complete, result.Status);
        Assert.Equal(length, result.Length);
        Assert.Equal(client, source!.ToString());
    }

    [Fact]
    public void Version1UnknownKeepsTheConnectionsOwnPeer()
    {
        var (result, source) = Parse("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\nrest"u8);
        Assert.Equal((ProxyHeaderStatus.Complete, 35), (result.Status, result.Length));
        Assert.Null(source);
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PROXY")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 51234 80")]
    [InlineData("PROXY TCP4 203.0.113.7 192.0.2.1 51234 80\r")]
    public void APartialVersion1LineWaits(string text) =>
        Assert.Equal(ProxyHeaderStatus.Incomplete, Parse(Encoding.ASCII.GetBytes(text)).Result.Status);

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("PROXX TCP4 1.2.3.4 1.2.3.5 1 2\r\n")]
    [InlineData("PROXY TCP5 1.2.3.4 1.2.3.5 1 2\r\n")]
    [InlineData("PROXY TCP4 1.2.3.4 1.2.3.5 1\r\n")]
    [InlineData("PROXY TCP4 1.2.3.4  1.2.3.5 1 2\r\n")]
    [InlineData("PROXY TCP4 1.2.3.4 1.2.3.5 1 2 3\r\n")]
    [InlineData("PROXY TCP4 1.2.3 1.2.3.5 1 2\r\n")]
    [InlineData("PROXY TCP4 2001:db8::1 1.2.3.5 1 2\r\n")]
    [InlineData("PROXY TCP6 1.2.3.4 2001:db8::1 1 2\r\n")]
    [InlineData("PROXY TCP4 1.2.3.4 1.2.3.5 65536 2\r\n")]
    [InlineData("PROXY TCP4 1.2.3.4 1.2.3.5 -1 2\r\n")]
    public void AnythingElseIsInvalid(string text) =>
        Assert.Equal(ProxyHeaderStatus.Invalid, Parse(Encoding.ASCII.GetBytes(text)).Result.Status);

    [Fact]
    public void AVersion1LineWithoutItsEndWithin107BytesIsInvalid() =>
        Assert.Equal(ProxyHeaderStatus.Invalid, Parse(Encoding.ASCII.GetBytes("PROXY UNKNOWN " + new string('x', 100))).Result.Status);

    private static byte[] V2(byte command, byte family, byte[] addresses, byte[]? tlvs = null)
    {
        tlvs ??= [];
        byte[] header = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, (byte)(0x20 | command), family, 0, 0];
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(14), (ushort)(addresses.Length + tlvs.Length));
        return [.. header, .. addresses, .. tlvs];
    }

    private static byte[] Addresses(IPAddress source, IPAddress destination, ushort sourcePort, ushort destinationPort)
    {
        byte[] ports = new byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(ports, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(ports.AsSpan(2), destinationPort);
        return [.. source.GetAddressBytes(), .. destination.GetAddressBytes(), .. ports];
    }

    [Fact]
    public void AVersion2HeaderNamesTheClientAndItsTlvsAreSkipped()
    {
        byte[] v4 = V2(1, 0x11, Addresses(IPAddress.Parse("198.51.100.9"), IPAddress.Parse("192.0.2.1"), 40000, 80), tlvs: [0x04, 0x00, 0x02, 0xAA, 0xBB]);
        var (result, source) = Parse([.. v4, .. "GET"u8]);
        Assert.Equal((ProxyHeaderStatus.Complete, v4.Length), (result.Status, result.Length));
        Assert.Equal("198.51.100.9:40000", source!.ToString());

        byte[] v6 = V2(1, 0x21, Addresses(IPAddress.Parse("2001:db8::9"), IPAddress.Parse("2001:db8::1"), 443, 8443));
        (result, source) = Parse(v6);
        Assert.Equal((ProxyHeaderStatus.Complete, 52), (result.Status, result.Length));
        Assert.Equal("[2001:db8::9]:443", source!.ToString());
    }

    [Theory]
    [InlineData(0, 0x11)] // LOCAL: the balancer's own connection (a health check)
    [InlineData(1, 0x00)] // UNSPEC
    [InlineData(1, 0x12)] // UDP over IPv4
    [InlineData(1, 0x31)] // Unix stream
    public void AVersion2HeaderWithoutATcpSourceKeepsTheConnectionsOwnPeer(byte command, byte family)
    {
        byte[] header = V2(command, family, new byte[12]);
        var (result, source) = Parse(header);
        Assert.Equal((ProxyHeaderStatus.Complete, 28), (result.Status, result.Length));
        Assert.Null(source);
    }

    [Fact]
    public void APartialVersion2HeaderWaits()
    {
        byte[] header = V2(1, 0x11, Addresses(IPAddress.Loopback, IPAddress.Loopback, 1, 2));
        foreach (int length in (int[])[1, 11, 12, 15, 16, header.Length - 1])
        {
            Assert.Equal(ProxyHeaderStatus.Incomplete, Parse(header.AsSpan(0, length)).Result.Status);
        }
    }

    [Fact]
    public void ABadVersion2HeaderIsInvalid()
    {
        byte[] good = V2(1, 0x11, Addresses(IPAddress.Loopback, IPAddress.Loopback, 1, 2));
        byte[] badSignature = [.. good];
        badSignature[5] = 0x0C;
        byte[] badVersion = [.. good];
        badVersion[12] = 0x11;
        byte[] badCommand = [.. good];
        badCommand[12] = 0x22;
        byte[] shortBlock = V2(1, 0x11, new byte[8]);
        byte[] tooLong = V2(1, 0x11, new byte[ProxyHeaderParser.MaxV2Length]);
        foreach (byte[] header in (byte[][])[badSignature, badVersion, badCommand, shortBlock, tooLong])
        {
            Assert.Equal(ProxyHeaderStatus.Invalid, Parse(header).Result.Status);
        }
    }
}
