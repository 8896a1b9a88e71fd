using Appliance.Config.Lexing;

namespace Appliance.Tests.Config;

public class ConfigLexerTests
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["HOST"] = "10.0.0.1",
        ["EMPTY"] = "",
        ["LIST"] = "a b  c",
    };

    private static ConfigLine SingleLine(string text)
    {
        var lines = ConfigLexer.Split(text, "t.cfg", name => Environment.TryGetValue(name, out var v) ? v : null);
        return Assert.Single(lines);
    }

    private static string[] Words(string text)
    {
        var line = SingleLine(text);
        Assert.Null(line.Error);
        return line.Words;
    }

    [Theory]
    [InlineData("bind *:80", new[] { "bind", "*:80" })]
    [InlineData("  server\tapp1   127.0.0.1:80\t check  ", new[] { "server", "app1", "127.0.0.1:80", "check" })]
    [InlineData("maxconn 100 # a comment", new[] { "maxconn", "100" })]
    [InlineData("maxconn 100#glued comment", new[] { "maxconn", "100" })]
    [InlineData("acl x path_beg \"/a b\"", new[] { "acl", "x", "path_beg", "/a b" })]
    [InlineData("x \"a#b\" 'c#d'", new[] { "x", "a#b", "c#d" })]
    [InlineData("x 'a\\tb $HOST'", new[] { "x", "a\\tb $HOST" })]
    [InlineData("x \"\"", new[] { "x", "" })]
    [InlineData("x \"a\"'b'c", new[] { "x", "abc" })]
    [InlineData("x a\\ b", new[] { "x", "a b" })]
    [InlineData("x \\#not-comment", new[] { "x", "#not-comment" })]
    [InlineData("x a\\\\b", new[] { "x", "a\\b" })]
    [InlineData("x \\\"q\\' \\$", new[] { "x", "\"q'", "$" })]
    [InlineData("x \\t\\n\\r", new[] { "x", "\t\n\r" })]
    [InlineData("x \\x41\\x7a", new[] { "x", "Az" })]
    [InlineData("x \"\\x41\\\"\\\\\"", new[] { "x", "A\"\\" })]
    [InlineData("x ^\\d+$", new[] { "x", "^\\d+$" })]
    [InlineData("x \"it's\"", new[] { "x", "it's" })]
    public void CutsWords(string text, string[] expected) => Assert.Equal(expected, Words(text));

    [Theory]
    [InlineData("bind \"${HOST}:80\"", new[] { "bind", "10.0.0.1:80" })]
    [InlineData("bind \"$HOST:80\"", new[] { "bind", "10.0.0.1:80" })]
    [InlineData("x \"[${MISSING}]\"", new[] { "x", "[]" })]
    [InlineData("x \"${MISSING-127.0.0.1}\"", new[] { "x", "127.0.0.1" })]
    [InlineData("x \"${EMPTY-default}\"", new[] { "x", "" })]
    [InlineData("x \"${LIST[*]}\" y", new[] { "x", "a", "b", "c", "y" })]
    [InlineData("x \"\\$HOST\"", new[] { "x", "$HOST" })]
    [InlineData("x $HOST '${HOST}'", new[] { "x", "$HOST", "${HOST}" })]
    [InlineData("x \"cost $5\"", new[] { "x", "cost $5" })]
    [InlineData("x \"${.FILE}:${.LINE}\"", new[] { "x", "t.cfg:1" })]
    public void ExpandsVariablesOnlyInsideDoubleQuotes(string text, string[] expected) => Assert.Equal(expected, Words(text));

    [Theory]
    [InlineData("bind \"*:80", "unterminated double quote at column 6")]
    [InlineData("bind ':80", "unterminated single quote at column 6")]
    [InlineData("x \\xZ1", "invalid escape at column 3: \\x must be followed by two hexadecimal digits")]
    [InlineData("x \"${HOST\"", "unterminated '${' at column 4")]
    [InlineData("x \"${1A}\"", "invalid variable name '1A' at column 4")]
    [InlineData("x \"${.SECTION}\"", "pseudo-variable '.SECTION' is not supported at column 4")]
    public void ReportsLineErrors(string text, string expected) => Assert.Equal(expected, SingleLine(text).Error);

    [Fact]
    public void NumbersLinesAndDropsBlankAndCommentLines()
    {
        var lines = ConfigLexer.Split("global\r\n\n   # only a comment\n\tmaxconn 10\r\n  \nfrontend f", "t.cfg", _ => null);
        Assert.Equal([1, 4, 6], lines.Select(l => l.Number));
        Assert.Equal([false, true, false], lines.Select(l => l.IsIndented));
        Assert.Equal(["maxconn", "10"], lines[1].Words);
    }
}
