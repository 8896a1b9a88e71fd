using System.Text;

namespace Appliance.IntegrationTests.HarnessTests;

/// <summary>
/// The fuzz test's two helpers, checked on known input: the response-stream validator must accept what a correct
/// proxy may send and refuse what it must not; the mutator must be deterministic and actually mutate.
/// </summary>
public sealed class FuzzSupportHarnessTests
{
    [Theory]
    [InlineData("")]
    [InlineData("HTTP/1.1 400 Bad request\r\ncontent-length: 5\r\nconnection: close\r\n\r\nabcde")]
    [InlineData("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 204 No Content\r\nX-A: b\r\n\r\nHTTP/1.1 304 Not Modified\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nTrailer: t\r\n\r\n")]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nbody delimited by the close")]
    [InlineData("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n")]
    public void AcceptsCompleteResponses(string received)
    {
        Assert.Null(ResponseStreamValidator.Validate(Encoding.Latin1.GetBytes(received), out _));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabc", "body truncated")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n", "head not terminated")]
    [InlineData("garbage\r\n\r\n", "not a status line")]
    [InlineData("HTTP/1.1 200 OK\r\nBad Header: x\r\n\r\n", "not a field line")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 2", "head not terminated")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", "truncated")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nok", "two Content-Length")]
    public void RefusesIncompleteOrMalformedResponses(string received, string reason)
    {
        Assert.Contains(reason, ResponseStreamValidator.Validate(Encoding.Latin1.GetBytes(received), out _));
    }

    [Fact]
    public void CountsResponsesIncludingInterimOnes()
    {
        var received = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 400 Bad request\r\nContent-Length: 0\r\n\r\n";

        Assert.Null(ResponseStreamValidator.Validate(Encoding.ASCII.GetBytes(received), out int responses));
        Assert.Equal(3, responses);
    }

    [Fact]
    public void MutationsAreDeterministicPerSeedAndIndexAndDifferFromTheTemplates()
    {
        var first = Enumerable.Range(0, 500).Select(i => RequestMutator.Mutate(7, i)).ToArray();
        var again = Enumerable.Range(0, 500).Select(i => RequestMutator.Mutate(7, i)).ToArray();
        var otherSeed = Enumerable.Range(0, 500).Select(i => RequestMutator.Mutate(8, i)).ToArray();
        var templates = RequestMutator.Templates.Select(Encoding.Latin1.GetBytes).ToArray();

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherSeed);
        Assert.True(first.Count(m => templates.Any(t => t.AsSpan().SequenceEqual(m))) < 25,
            "most mutations should change their template");
        Assert.True(first.Select(Convert.ToHexString).Distinct().Count() > 450, "mutations should be varied");
        Assert.Equal("GET /\\r\\n\\x00\\xff", RequestMutator.Describe([.. "GET /\r\n"u8, 0, 0xff]));
    }
}
