using System.Net;
using Appliance.Routing.Samples;

namespace Appliance.Tests.Rules;

/// <summary><c>%[src]</c> in a rule value: the client address as text, written without an IPAddress.</summary>
public sealed class SourceAddressTextTests
{
    [Theory]
    [InlineData("192.0.2.10")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("2001:db8::1")]
    [InlineData("2001:db8:0:0:1:0:0:1")]
    [InlineData("1::")]
    [InlineData("fe80::1:2:3:4")]
    [InlineData("2001:db8:1:2:3:4:5:6")]
    [InlineData("1:0:0:2:0:0:0:3")]
    public void Formats_like_IPAddress(string address)
    {
        IPAddress parsed = IPAddress.Parse(address);
        var text = new byte[AddressText.MaxLength];
        int length = AddressText.Format(parsed.GetAddressBytes(), text);
        Assert.Equal(parsed.ToString(), System.Text.Encoding.ASCII.GetString(text, 0, length));
    }

    [Fact]
    public void An_ipv4_mapped_address_is_written_as_ipv4()
    {
        var text = new byte[AddressText.MaxLength];
        int length = AddressText.Format(IPAddress.Parse("::ffff:198.51.100.7").GetAddressBytes(), text);
        Assert.Equal("198.51.100.7", System.Text.Encoding.ASCII.GetString(text, 0, length));
    }

    [Fact]
    public void No_address_is_no_text()
    {
        Assert.Equal(0, AddressText.Format([], new byte[AddressText.MaxLength]));
    }
}
