using System.Text;
using Appliance.Routing.Patterns;
using Appliance.Rules;

namespace Appliance.Tests.Rules;

/// <summary>
/// The regex-free matcher for prefix rewrites gives exactly what the regex gives: checked against .NET's
/// regex (the general path of <c>replace-path</c>) over patterns and paths of every kind.
/// </summary>
public sealed class LiteralCapturePatternTests
{
    private static readonly string[] Paths =
    [
        "/", "/foo", "/foo/", "/foo/bar", "/foo/bar/baz", "/x/foo/bar", "/foofoo/bar", "/FOO/bar", "/a.b/c", "/axb/c",
        "/api/v1/orders/7", "/api", "/~user/x", "/v1;p=1/x", "",
    ];

    [Theory]
    [InlineData("/foo/(.*)")]
    [InlineData("^/foo/(.*)")]
    [InlineData("^/foo(.*)$")]
    [InlineData("foo(.*)")]
    [InlineData("(.*)")]
    [InlineData("^(.*)$")]
    [InlineData("^/a\\.b/(.*)")]
    [InlineData("^/api/v1(.*)")]
    [InlineData("/~user(.*)")]
    [InlineData("^/foo(/.*)")]
    [InlineData("/foo(/b.*)$")]
    [InlineData("(/.*)")]
    public void Matches_and_expands_as_the_regex_does(string pattern)
    {
        LiteralCapturePattern? literal = LiteralCapturePattern.TryRecognise(pattern);
        Assert.NotNull(literal);
        RegexPattern regex = RegexPattern.TryCreate(pattern, ignoreCase: false, 0, out _)!;
        foreach (string path in Paths)
        {
            byte[] value = Encoding.ASCII.GetBytes(path);
            bool matched = literal.TryMatch(value, out int matchStart, out int groupStart);
            Assert.True(regex.IsMatch(value) == matched, $"{pattern} on '{path}'");
            if (!matched) continue;
            foreach (string replacement in (string[])["/\\1", "/new\\1/x", "\\0|\\1|\\2", "/fixed"])
            {
                byte[] format = Encoding.ASCII.GetBytes(replacement);
                string expected = Encoding.ASCII.GetString(RegexReplacement.Expand(regex, format, value, usesGroups: true));
                string actual = Encoding.ASCII.GetString(RegexReplacement.ExpandCapture(format, value, matchStart, groupStart));
                Assert.True(expected == actual, $"{pattern} on '{path}' with '{replacement}': regex '{expected}', literal '{actual}'");
            }
        }
    }

    [Theory]
    [InlineData("/foo/(.+)")]
    [InlineData("/fo.(.*)")]
    [InlineData("/foo/([^/]*)(.*)")]
    [InlineData("(?i)/foo(.*)")]
    [InlineData("/foo|/bar(.*)")]
    [InlineData("/foo/(.*)/x")]
    [InlineData("/foo")]
    [InlineData("/foo(.*")]
    [InlineData("/foo((.*)")]
    [InlineData("/foo(/[a-z].*)")]
    public void Any_other_shape_is_left_to_the_regex(string pattern) => Assert.Null(LiteralCapturePattern.TryRecognise(pattern));
}
