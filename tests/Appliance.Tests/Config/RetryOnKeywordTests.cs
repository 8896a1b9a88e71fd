using Appliance.Config.Model;
using static Appliance.Tests.Config.ConfigTestSupport;

namespace Appliance.Tests.Config;

public sealed class RetryOnKeywordTests
{
    [Fact]
    public void Default_is_connection_failures_only()
    {
        Assert.Equal(RetryOnConditions.ConnectionFailure, SingleBackend("server s 127.0.0.1:1\n").RetryOn);
    }

    [Fact]
    public void Conditions_combine_and_are_inherited_from_defaults()
    {
        var config = LoadValid("defaults\n retry-on empty-response 503 response-timeout\nbackend b\n server s 127.0.0.1:1\n");
        Assert.Equal(RetryOnConditions.EmptyResponse | RetryOnConditions.Status503 | RetryOnConditions.ResponseTimeout, config.Backends[0].RetryOn);
        Assert.Equal(RetryOnConditions.AllRetryableErrors, SingleBackend("retry-on all-retryable-errors\nserver s 127.0.0.1:1\n").RetryOn);
        Assert.Equal(RetryOnConditions.None, SingleBackend("retry-on none\nserver s 127.0.0.1:1\n").RetryOn);
    }

    [Fact]
    public void Unknown_conditions_are_errors_with_a_suggestion()
    {
        Assert.Equal("test.cfg:2: section 'b': keyword 'retry-on': unknown retry-on condition 'empty-respons'; did you mean 'empty-response'?",
            SingleError("backend b\n retry-on empty-respons\n server s 127.0.0.1:1\n"));
    }
}
