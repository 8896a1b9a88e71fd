using Appliance.Config.Model;
using Appliance.Rules;
using Appliance.Tests.Config;

namespace Appliance.Tests.Rules;

/// <summary><c>errorfile</c>: read with the configuration, checked to be a whole HTTP response, inherited, last line wins.</summary>
public sealed class ErrorFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rules-errorfile").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string Proxy(string lines) =>
        "defaults\n mode http\nfrontend f\n bind :8080\n" + lines + " default_backend b\nbackend b\n server s 127.0.0.1:9000\n";

    [Fact]
    public void The_file_is_read_with_the_configuration()
    {
        const string page = "HTTP/1.1 503 Sorry\r\nContent-Length: 5\r\n\r\nsorry";
        string path = Write("503.http", page);
        FrontendConfig frontend = ConfigTestSupport.LoadValid(Proxy($" errorfile 503 {path}\n")).Frontends[0];
        ErrorFileConfig file = Assert.Single(frontend.ErrorFiles);
        Assert.Equal(503, file.Status);
        Assert.Equal(path, file.Path);
        Assert.Equal(Http.HttpText.Bytes(page), file.Content.Items.ToArray());
        Assert.Equal(new SourceLocation(ConfigTestSupport.FileName, 5), file.Location);
    }

    [Fact]
    public void A_relative_path_is_read_from_the_configuration_files_directory()
    {
        Write("403.http", "HTTP/1.0 403 Nope\r\n\r\nno");
        string config = Path.Combine(_dir, "appliance.cfg");
        var result = Appliance.Config.ConfigLoader.LoadText(Proxy(" errorfile 403 403.http\n"), config);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal("HTTP/1.0 403 Nope\r\n\r\nno"u8.ToArray(), result.Config!.Frontends[0].ErrorFiles[0].Content.Items.ToArray());
    }

    [Theory]
    [InlineData(" errorfile 503\n", "missing argument; usage: errorfile <code> <file>")]
    [InlineData(" errorfile 499 /x.http\n", "status code 499 is not one the proxy answers with (expected one of: 200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 421, 422, 425, 429, 500, 501, 502, 503, 504)")]
    [InlineData(" errorfile five /x.http\n", "invalid number 'five'")]
    [InlineData(" errorfile 503 /nonexistent/503.http\n", "cannot read file '/nonexistent/503.http': file not found")]
    public void Errorfile_line_errors(string line, string message)
    {
        string error = ConfigTestSupport.SingleError(Proxy(line));
        Assert.StartsWith("test.cfg:5: section 'f': keyword 'errorfile': ", error);
        Assert.Contains(message, error);
    }

    [Fact]
    public void A_file_larger_than_a_buffer_is_refused()
    {
        string path = Write("big.http", "HTTP/1.1 503 Big\r\n\r\n" + new string('x', 16384));
        Assert.Equal(
            $"test.cfg:5: section 'f': keyword 'errorfile': file '{path}' is larger than one 16384-byte buffer (16404 bytes)",
            ConfigTestSupport.SingleError(Proxy($" errorfile 503 {path}\n")));
    }

    [Theory]
    [InlineData("<html>sorry</html>", "not a valid HTTP response: ")]
    [InlineData("HTTP/1.1 503 Sorry\r\nContent-Length: 5\r\n", "the head is incomplete (it must end with an empty line, lines ending with CRLF)")]
    [InlineData("HTTP/1.1 503 Sorry\r\nContent-Length: 9\r\n\r\nsorry", "Content-Length says 9 bytes but the body has 5")]
    [InlineData("HTTP/1.1 100 Continue\r\n\r\n", "a 100 interim response cannot answer a request")]
    public void The_file_must_be_a_whole_http_response(string content, string problem)
    {
        string path = Write("bad.http", content);
        string error = RulesHarness.CompileError(Proxy($" errorfile 503 {path}\n"));
        Assert.StartsWith($"test.cfg:5: section 'f': keyword 'errorfile': '{path}' is not a valid HTTP response: ", error);
        Assert.Contains(problem.Replace("not a valid HTTP response: ", ""), error);
    }

    [Fact]
    public void Debian_style_files_without_content_length_are_accepted()
    {
        // The Debian-shaped pages of the config tests' data (HTTP/1.0, no Content-Length, close-delimited).
        string path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(ConfigTestSupport.DataPath("errors"))!, "..", "..", "Config", "Data", "errors", "503.http"));
        RulesHarness harness = RulesHarness.Load(Proxy($" errorfile 503 {path}\n"));
        Assert.Equal(File.ReadAllBytes(path), harness.Frontend().ErrorPages.Find(503));
    }

    [Fact]
    public void Errorfiles_are_inherited_and_the_last_line_for_a_code_wins()
    {
        string first = Write("a.http", "HTTP/1.1 503 A\r\nContent-Length: 0\r\n\r\n");
        string second = Write("b.http", "HTTP/1.1 503 B\r\nContent-Length: 0\r\n\r\n");
        string forbidden = Write("c.http", "HTTP/1.1 403 C\r\nContent-Length: 0\r\n\r\n");
        RulesHarness harness = RulesHarness.Load($"""
            defaults
             mode http
             errorfile 503 {first}
             errorfile 403 {forbidden}
            frontend f
             bind :8080
             errorfile 503 {second}
             default_backend b
            backend b
             server s 127.0.0.1:9000
            """);
        Assert.Equal("HTTP/1.1 503 B\r\nContent-Length: 0\r\n\r\n", Http.HttpText.Text(harness.Frontend().ErrorPages.Find(503)));
        Assert.Equal("HTTP/1.1 503 A\r\nContent-Length: 0\r\n\r\n", Http.HttpText.Text(harness.Backend("b").ErrorPages.Find(503)));
        Assert.NotNull(harness.Backend("b").ErrorPages.Find(403));
        Assert.Null(harness.Frontend().ErrorPages.Find(504));
    }

    [Fact]
    public void The_proxys_own_answers_use_the_backend_errorfile_then_the_frontends()
    {
        string frontendPage = Write("fe.http", "HTTP/1.1 503 Frontend\r\nContent-Length: 0\r\n\r\n");
        string backendPage = Write("be.http", "HTTP/1.1 503 Backend\r\nContent-Length: 0\r\n\r\n");
        RulesHarness harness = RulesHarness.Load($"""
            defaults
             mode http
            frontend f
             bind :8080
             errorfile 503 {frontendPage}
             errorfile 504 {frontendPage}
             default_backend b
            backend b
             errorfile 503 {backendPage}
             server s 127.0.0.1:9000
            """);
        Assert.Equal("HTTP/1.1 503 Backend\r\nContent-Length: 0\r\n\r\n",
            Http.HttpText.Text(HttpRuleSet.FindErrorFile(503, harness.Backend("b"), harness.Frontend())));
        Assert.Equal("HTTP/1.1 503 Frontend\r\nContent-Length: 0\r\n\r\n",
            Http.HttpText.Text(HttpRuleSet.FindErrorFile(503, null, harness.Frontend())));
        Assert.NotNull(HttpRuleSet.FindErrorFile(504, harness.Backend("b"), harness.Frontend()));
        Assert.Null(HttpRuleSet.FindErrorFile(502, harness.Backend("b"), harness.Frontend()));
    }
}
