using System.Net;
using Appliance.Config.Model;
using static Appliance.Tests.Config.ConfigTestSupport;

namespace Appliance.Tests.Config;

public sealed class ForwardForKeywordTests
{
    [Fact]
    public void Plain_option_uses_the_default_header()
    {
        var config = LoadValid("defaults\n mode http\nfrontend f\n bind :80\n option forwardfor\n default_backend b\nbackend b\n server s 127.0.0.1:1\n");
        Assert.Equal(new ForwardForConfig(null, "X-Forwarded-For", false), config.Frontends[0].ForwardFor);
        Assert.Null(config.Backends[0].ForwardFor);
    }

    [Fact]
    public void Except_header_and_if_none_are_parsed_and_inherited_from_defaults()
    {
        var config = LoadValid("defaults\n mode http\n option forwardfor except 10.0.0.0/8 header X-Client-IP if-none\nbackend b\n server s 127.0.0.1:1\n");
        Assert.Equal(new ForwardForConfig(IPNetwork.Parse("10.0.0.0/8"), "X-Client-IP", true), config.Backends[0].ForwardFor);
    }

    [Fact]
    public void No_option_forwardfor_turns_it_off()
    {
        var config = LoadValid("defaults\n mode http\n option forwardfor\nbackend b\n no option forwardfor\n server s 127.0.0.1:1\n");
        Assert.Null(config.Backends[0].ForwardFor);
    }

    [Fact]
    public void A_bad_network_is_an_error_with_its_line()
    {
        Assert.Equal("test.cfg:3: section 'b': keyword 'option forwardfor': invalid network '10.0.0/99' after 'except' (expected ADDRESS[/PREFIX])",
            SingleError("backend b\n mode http\n option forwardfor except 10.0.0/99\n server s 127.0.0.1:1\n"));
    }
}
