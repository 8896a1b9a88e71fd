using System.Runtime.CompilerServices;
using Appliance.Config.Keywords;

namespace Appliance.Tests.Config;

public class KeywordReferenceTests
{
    private static string DocPath([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "docs", "config-keywords.md"));

    [Fact]
    public void DocumentMatchesTheKeywordTables()
    {
        string expected = KeywordReference.ToMarkdown();
        string path = DocPath();
        // Regenerating is an explicit developer action, never something a normal test run does.
        if (Environment.GetEnvironmentVariable("APPLIANCE_REGENERATE_DOCS") == "1") File.WriteAllText(path, expected);
        Assert.True(File.Exists(path), $"{path} is missing; run: APPLIANCE_REGENERATE_DOCS=1 dotnet test --filter KeywordReferenceTests");
        Assert.True(expected == File.ReadAllText(path).ReplaceLineEndings("\n"),
            $"{path} is out of date; run: APPLIANCE_REGENERATE_DOCS=1 dotnet test --filter KeywordReferenceTests");
    }

    [Fact]
    public void DocumentListsImplementedIgnoredAndRefusedKeywords()
    {
        string doc = KeywordReference.ToMarkdown();
        Assert.Contains("| `bind` | frontend, listen | `<addr>:<port>[,...] [options...]` | implemented |", doc);
        Assert.Contains("| `[no] option redispatch` | defaults, listen, backend |", doc);
        Assert.Contains("| `timeout client` | defaults, frontend, listen | `<time>` | implemented |", doc);
        Assert.Contains("| `[no] option httplog` | defaults, frontend, listen, backend |  | implemented |", doc);
        Assert.Contains("`stats show-legends`", doc);
        Assert.Contains("| `mode` | defaults, frontend, listen, backend | `tcp\\|http` | implemented |", doc);
        Assert.Contains("| `nbproc` | global | `<number>` | not supported yet |", doc);
    }
}
