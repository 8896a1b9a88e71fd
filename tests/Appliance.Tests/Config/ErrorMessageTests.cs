using Appliance.Config;
using static Appliance.Tests.Config.ConfigTestSupport;

namespace Appliance.Tests.Config;

/// <summary>One test per error class, asserting the exact printed message with its location.</summary>
public class ErrorMessageTests
{
    [Fact]
    public void UnknownKeywordSuggestsTheClosestKeywordOfTheSection() =>
        Assert.Equal("test.cfg:3: section 'web': keyword 'defualt_backend': unknown keyword; did you mean 'default_backend'?",
            SingleError("frontend web\n bind :80\n defualt_backend b\nbackend b\n"));

    [Fact]
    public void UnknownKeywordWithNothingCloseHasNoSuggestion() =>
        Assert.Equal("test.cfg:2: section 'b': keyword 'frobnicate': unknown keyword",
            SingleError("backend b\n frobnicate 3\n"));

    [Fact]
    public void SuggestionsOnlyComeFromTheSectionsOwnKeywords() =>
        // 'bind' is one edit away but is not a global keyword, so it is not offered in the global section.
        Assert.Equal("test.cfg:2: section 'global': keyword 'bnd': unknown keyword",
            SingleError("global\n bnd :80\n"));

    [Fact]
    public void UnknownSectionAtTopOfFile() =>
        Assert.Equal("test.cfg:1: keyword 'fronted': unknown section; did you mean 'frontend'?",
            SingleError("fronted web\n bind :80\n"));

    [Fact]
    public void UnknownSectionAfterAnotherSectionSkipsItsLines()
    {
        var result = Load("backend a\n server s 10.0.0.1:80\nbakend b\n server t 10.0.0.2:80\n bogus line\n");
        Assert.Equal(["test.cfg:3: keyword 'bakend': unknown section; did you mean 'backend'?"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void KeywordBeforeAnySection() =>
        Assert.Equal("test.cfg:2: keyword 'bind': keyword outside any section (a section starts with global, defaults, frontend, backend or listen)",
            SingleError("# header comment\nbind :80\nfrontend f\n bind :80\n"));

    [Fact]
    public void MissingArgument() =>
        Assert.Equal("test.cfg:2: section 'f': keyword 'default_backend': missing argument; usage: default_backend <backend>",
            SingleError("frontend f\n default_backend\n bind :80\n"));

    [Fact]
    public void ExtraArgument() =>
        Assert.Equal("test.cfg:2: section 'f': keyword 'maxconn': unexpected argument '20'; usage: maxconn <number>",
            SingleError("frontend f\n maxconn 10 20\n bind :80\n"));

    [Fact]
    public void BadNumber() =>
        Assert.Equal("test.cfg:2: section 'b': keyword 'server': option 'weight': value 300 is out of range (0..256)",
            SingleError("backend b\n server s 10.0.0.1:80 weight 300\n"));

    [Fact]
    public void UnparsableAddress() =>
        Assert.Equal("test.cfg:2: section 'b': keyword 'server': '10.0.0.1:x': invalid port 'x' (must be 1..65535)",
            SingleError("backend b\n server s 10.0.0.1:x\n"));

    [Fact]
    public void UnknownDefaultBackendIsReportedAtTheReferencingLine() =>
        Assert.Equal("test.cfg:3: section 'f': keyword 'default_backend': unknown backend 'web_bak'; did you mean 'web_back'?",
            SingleError("frontend f\n bind :80\n default_backend web_bak\nbackend web_back\n"));

    [Fact]
    public void UnknownUseBackend() =>
        Assert.Equal("test.cfg:3: section 'f': keyword 'use_backend': unknown backend 'nowhere'",
            SingleError("frontend f\n bind :80\n use_backend nowhere\nbackend b\n"));

    [Fact]
    public void DynamicUseBackendIsNotLookedUp() =>
        Assert.True(Load("frontend f\n bind :80\n use_backend be_%[req.hdr(host)]\n").Succeeded);

    [Fact]
    public void InheritedUnknownDefaultBackendIsReportedOnceAtTheDefaultsLine() =>
        Assert.Equal("test.cfg:2: section 'defaults': keyword 'default_backend': unknown backend 'missing'",
            SingleError("defaults\n default_backend missing\nfrontend a\n bind :80\nfrontend b\n bind :81\n"));

    [Fact]
    public void DuplicateFrontendName() =>
        Assert.Equal("test.cfg:3: section 'f': keyword 'frontend': duplicate frontend name 'f' (first declared at test.cfg:1)",
            SingleError("frontend f\n bind :80\nfrontend f\n bind :81\n"));

    [Fact]
    public void DuplicateBackendName() =>
        Assert.Equal("test.cfg:2: section 'b': keyword 'backend': duplicate backend name 'b' (first declared at test.cfg:1)",
            SingleError("backend b\nbackend b\n"));

    [Fact]
    public void ListenCollidesWithABackendOfTheSameName() =>
        Assert.Equal("test.cfg:2: section 'b': keyword 'listen': duplicate backend name 'b' (first declared at test.cfg:1)",
            SingleError("backend b\nlisten b\n bind :80\n"));

    [Fact]
    public void DuplicateServerName() =>
        Assert.Equal("test.cfg:3: section 'b': keyword 'server': duplicate server name 'app' (first declared at test.cfg:2)",
            SingleError("backend b\n server app 10.0.0.1:80\n server app 10.0.0.2:80\n"));

    [Fact]
    public void SameServerNameInTwoBackendsIsFine() =>
        Assert.True(Load("backend a\n server s 10.0.0.1:80\nbackend b\n server s 10.0.0.1:80\n").Succeeded);

    [Fact]
    public void DuplicateNamedDefaults() =>
        Assert.Equal("test.cfg:3: section 'base': keyword 'defaults': defaults section 'base' is already declared at test.cfg:1",
            SingleError("defaults base\n mode http\ndefaults base\n"));

    [Fact]
    public void SameAddressBoundTwice() =>
        Assert.Equal("test.cfg:5: section 'b': keyword 'bind': 127.0.0.1:8080 is already bound at test.cfg:2 (frontend 'a'): "
            + "connections would be shared at random between the two",
            SingleError("frontend a\n bind 127.0.0.1:8080\n default_backend be\nfrontend b\n bind 127.0.0.1:8080\n default_backend be\nbackend be\n server s 10.0.0.1:80\n"));

    [Fact]
    public void SamePortOnOtherAddressesIsFine() =>
        Assert.True(Load("frontend a\n bind 127.0.0.1:8080\n default_backend be\nfrontend b\n bind 127.0.0.2:8080\n default_backend be\nbackend be\n server s 10.0.0.1:80\n").Succeeded);

    [Fact]
    public void FrontendWithoutBind() =>
        Assert.Equal("test.cfg:1: section 'f': keyword 'frontend': frontend 'f' has no bind line",
            SingleError("frontend f\n default_backend b\nbackend b\n"));

    [Fact]
    public void TcpFrontendCannotUseHttpBackend() =>
        Assert.Equal("test.cfg:3: section 'f': keyword 'default_backend': tcp frontend 'f' cannot use http backend 'b' (declared at test.cfg:4): their modes must match",
            SingleError("frontend f\n bind :80\n default_backend b\nbackend b\n mode http\n"));

    [Fact]
    public void HttpFrontendCannotUseTcpBackend() =>
        Assert.Equal("test.cfg:5: section 'f': keyword 'use_backend': http frontend 'f' cannot use tcp backend 'b' (declared at test.cfg:6): their modes must match",
            SingleError("frontend f\n mode http\n bind :80\n acl x path /x\n use_backend b if x\nbackend b\n"));

    [Fact]
    public void FromNamingAnUnknownDefaultsSection() =>
        Assert.Equal("test.cfg:2: section 'f': keyword 'frontend': unknown defaults section 'http_defaults' (it must be declared above); did you mean 'http-defaults'?",
            SingleError("defaults http-defaults\nfrontend f from http_defaults\n bind :80\n"));

    [Fact]
    public void FromNamingADefaultsSectionDeclaredBelow() =>
        Assert.Equal("test.cfg:1: section 'f': keyword 'frontend': unknown defaults section 'later' (it must be declared above)",
            SingleError("frontend f from later\n bind :80\ndefaults later\n"));

    [Theory]
    [InlineData("frontend\n", "test.cfg:1: keyword 'frontend': missing name; usage: frontend <name> [from <defaults>]")]
    [InlineData("backend web/1\n", "test.cfg:1: section 'web/1': keyword 'backend': invalid character '/' in name 'web/1' (allowed: letters, digits, '-', '_', '.', ':')")]
    [InlineData("backend b extra\n", "test.cfg:1: section 'b': keyword 'backend': unexpected argument 'extra' (expected 'from <defaults>')")]
    [InlineData("backend b from\n", "test.cfg:1: section 'b': keyword 'backend': missing defaults section name after 'from'")]
    [InlineData("global extra\n", "test.cfg:1: section 'global': keyword 'global': unexpected argument 'extra'")]
    public void BadSectionHeaders(string text, string expected) => Assert.Equal(expected, SingleError(text));

    [Fact]
    public void KeywordNotAllowedInDefaults() =>
        Assert.Equal("test.cfg:2: section 'defaults': keyword 'bind': not allowed in a defaults section",
            SingleError("defaults\n bind :80\n"));

    [Fact]
    public void ServerInAFrontendIsAnError() =>
        Assert.Equal("test.cfg:3: section 'f': keyword 'server': not allowed: a frontend has no backend capability",
            SingleError("frontend f\n bind :80\n server s 10.0.0.1:80\n"));

    [Fact]
    public void BackendOnlyKeywordInAFrontendIsIgnoredWithAWarning()
    {
        var result = Load("frontend f\n bind :80\n balance leastconn\nbackend b\n use_backend x\n");
        Assert.True(result.Succeeded);
        Assert.Equal(
            ["test.cfg:3: warning: section 'f': keyword 'balance': ignored: a frontend has no backend capability",
             "test.cfg:5: warning: section 'b': keyword 'use_backend': ignored: a backend has no frontend capability"],
            result.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void GlobalKeywordInAProxy() =>
        Assert.Equal("test.cfg:3: section 'f': keyword 'nbthread': only allowed in the global section",
            SingleError("frontend f\n bind :80\n nbthread 2\n"));

    [Fact]
    public void ProxyKeywordInGlobal() =>
        Assert.Equal("test.cfg:2: section 'global': keyword 'balance': not allowed in the global section (it is a proxy keyword)",
            SingleError("global\n balance roundrobin\n"));

    [Fact]
    public void LexerErrorCarriesTheSectionAndKeyword() =>
        Assert.Equal("test.cfg:3: section 'f': keyword 'acl': unterminated double quote at column 17",
            SingleError("frontend f\n bind :80\n acl a path_beg \"/x\n"));

    [Fact]
    public void LexerErrorOnASectionHeaderSkipsThatSection()
    {
        var result = Load("backend a\nfrontend \"web\n bind :80\n balance first\n");
        Assert.Equal(["test.cfg:2: keyword 'frontend': unterminated double quote at column 10"], result.Errors.Select(e => e.ToString()));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void OptionWithoutNameGivesAShortUsage() =>
        Assert.Equal("test.cfg:2: section 'b': keyword 'option': missing argument (usage: option <name>)",
            SingleError("backend b\n option\n"));

    [Fact]
    public void ByteOrderMarkIsIgnored() => Assert.Single(LoadValid("\uFEFFbackend b\n").Backends);

    [Fact]
    public void ConditionalBlocksAreRefused() =>
        Assert.Equal("test.cfg:1: keyword '.if': conditional blocks and '.' directives are not supported yet",
            SingleError(".if defined(X)\n"));

    [Fact]
    public void UnreadableFileIsADiagnosticNotAnException()
    {
        string path = Path.Combine(Path.GetTempPath(), $"appliance-missing-{Guid.NewGuid():N}.cfg");
        var result = ConfigLoader.LoadFile(path);
        Assert.False(result.Succeeded);
        Assert.Equal($"{path}: cannot read configuration file: file not found", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void LoadFileUsesThePathInDiagnostics()
    {
        string path = Path.Combine(Path.GetTempPath(), $"appliance-{Guid.NewGuid():N}.cfg");
        File.WriteAllText(path, "backend b\n server s 10.0.0.1:80 chek\n");
        try
        {
            Assert.Equal($"{path}:2: section 'b': keyword 'server': unknown option 'chek'; did you mean 'check'?",
                Assert.Single(ConfigLoader.LoadFile(path).Errors).ToString());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void EveryErrorOfAFileIsReportedInFileOrder()
    {
        var result = Load("""
            global
                nbthread 0
            frontend web
                bind :99999
                defualt_backend app
                use_backend nowhere
            frontend web
                bind :80
            backend app
                mode http
                balance uri
                server a 10.0.0.1:80 chek
                server a 10.0.0.2:80
            backend app
            """);
        Assert.Null(result.Config);
        Assert.Equal(
            [
                "test.cfg:2: section 'global': keyword 'nbthread': value 0 is out of range (1..64)",
                "test.cfg:4: section 'web': keyword 'bind': ':99999': invalid port '99999' (must be 1..65535)",
                "test.cfg:5: section 'web': keyword 'defualt_backend': unknown keyword; did you mean 'default_backend'?",
                "test.cfg:6: section 'web': keyword 'use_backend': unknown backend 'nowhere'",
                "test.cfg:7: section 'web': keyword 'frontend': duplicate frontend name 'web' (first declared at test.cfg:3)",
                "test.cfg:11: section 'app': keyword 'balance': balance 'uri' is not supported yet (supported: roundrobin, static-rr, leastconn, first, source, random)",
                "test.cfg:12: section 'app': keyword 'server': unknown option 'chek'; did you mean 'check'?",
                "test.cfg:13: section 'app': keyword 'server': duplicate server name 'a' (first declared at test.cfg:12)",
                "test.cfg:14: section 'app': keyword 'backend': duplicate backend name 'app' (first declared at test.cfg:9)",
            ],
            result.Errors.Select(e => e.ToString()));
    }
}
