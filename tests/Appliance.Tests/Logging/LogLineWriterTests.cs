using System.Net;
using System.Text;
using Appliance.Logging;
using Appliance.Native;
using SocketAddress = Appliance.Native.SocketAddress;

namespace Appliance.Tests.Logging;

public class LogLineWriterTests
{
    private static string Address(string endPoint)
    {
        byte[] sockaddr = new byte[SocketAddress.MaxLength];
        SocketAddress.Write(IPEndPoint.Parse(endPoint), sockaddr);
        var line = new LogLineWriter(new byte[128]);
        line.AppendAddress(sockaddr);
        return Encoding.ASCII.GetString(line.Written);
    }

    [Theory]
    [InlineData("10.1.2.3:51000", "10.1.2.3:51000")]
    [InlineData("[::ffff:192.168.0.9]:80", "192.168.0.9:80")]
    [InlineData("[2001:db8::1]:443", "2001:db8::1:443")]
    public void AddressesAreWrittenAsHaproxyDoes(string endPoint, string expected) => Assert.Equal(expected, Address(endPoint));

    [Fact]
    public void RequestLinesAreQuotedAndEscaped()
    {
        var line = new LogLineWriter(new byte[128]);
        line.AppendQuoted("GET /a\"b\\c\x01 HTTP/1.1"u8);
        Assert.Equal("\"GET /a\\\"b\\\\c#01 HTTP/1.1\"", Encoding.ASCII.GetString(line.Written));
    }

    [Fact]
    public void DatesAndNumbersUseHaproxysFormat()
    {
        var line = new LogLineWriter(new byte[128]);
        line.AppendDate(new DateTime(2026, 2, 6, 12, 14, 14, 655));
        line.Append((byte)' ');
        line.Append(-1);
        line.Append((byte)' ');
        line.Append("fe");
        Assert.Equal("06/Feb/2026:12:14:14.655 -1 fe", Encoding.ASCII.GetString(line.Written));
    }

    [Fact]
    public void WhatDoesNotFitIsCut()
    {
        var line = new LogLineWriter(new byte[8]);
        line.Append("0123456789"u8);
        line.Append((byte)'x');
        line.Append(12345);
        Assert.Equal("01234567", Encoding.ASCII.GetString(line.Written));
    }
}
