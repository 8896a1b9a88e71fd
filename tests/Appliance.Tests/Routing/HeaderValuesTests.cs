using System.Text;
using Appliance.Routing;

namespace Appliance.Tests.Routing;

/// <summary>HAProxy's hdr() view of headers: comma splitting, quoting, trimming, occurrences.</summary>
public sealed class HeaderValuesTests
{
    private static readonly TestRequest Request = TestRequest.Get("/",
        ("Accept", "text/html , application/json"),
        ("X-Forwarded-For", "10.0.0.1,10.0.0.2"),
        ("Cookie", "a=1"),
        ("x-forwarded-for", " 10.0.0.3\t"),
        ("Link", "<a>; title=\"x, y\", <b>"),
        ("Empty", ""));

    private static string? Get(string name, int occurrence, bool split = true) =>
        HeaderValues.TryGet(Request, Encoding.ASCII.GetBytes(name), occurrence, split, out ReadOnlySpan<byte> value)
            ? Encoding.ASCII.GetString(value)
            : null;

    private static List<string> All(string name, bool split = true)
    {
        var values = new List<string>();
        foreach (ReadOnlySpan<byte> value in HeaderValues.Enumerate(Request, Encoding.ASCII.GetBytes(name), split))
            values.Add(Encoding.ASCII.GetString(value));
        return values;
    }

    [Fact]
    public void Values_are_split_at_commas_and_trimmed_across_occurrences()
    {
        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], All("X-FORWARDED-FOR"));
        Assert.Equal(["text/html", "application/json"], All("accept"));
        Assert.Equal(["10.0.0.1,10.0.0.2", " 10.0.0.3\t"], All("x-forwarded-for", split: false));
        Assert.Equal(["<a>; title=\"x, y\"", "<b>"], All("link"));
        Assert.Equal([""], All("empty"));
        Assert.Empty(All("missing"));
    }

    [Fact]
    public void Occurrences_count_from_the_first_or_the_last_value()
    {
        Assert.Equal("10.0.0.1", Get("x-forwarded-for", 1));
        Assert.Equal("10.0.0.3", Get("x-forwarded-for", 3));
        Assert.Null(Get("x-forwarded-for", 4));
        Assert.Equal("10.0.0.3", Get("x-forwarded-for", -1));
        Assert.Equal("10.0.0.1", Get("x-forwarded-for", -3));
        Assert.Null(Get("x-forwarded-for", -4));
        Assert.Null(Get("x-forwarded-for", 0));
        Assert.Equal("10.0.0.1,10.0.0.2", Get("x-forwarded-for", 1, split: false));
        Assert.Equal(3, HeaderValues.Count(Request, "X-Forwarded-For"u8, splitCommas: true));
        Assert.Equal(2, HeaderValues.Count(Request, "X-Forwarded-For"u8, splitCommas: false));
        Assert.True(HeaderValues.TryGetLast(Request, "cookie"u8, out ReadOnlySpan<byte> cookie));
        Assert.Equal("a=1", Encoding.ASCII.GetString(cookie));
    }

    [Fact]
    public void An_empty_name_selects_every_header()
    {
        Assert.Equal(9, HeaderValues.Count(Request, [], splitCommas: true));
        Assert.Equal(6, HeaderValues.Count(Request, [], splitCommas: false));
    }
}
