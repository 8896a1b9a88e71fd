using System.Text.RegularExpressions;
using Appliance.Stats;

namespace Appliance.Tests.Stats;

public class StatsHtmlTests
{
    private const string Csv = """
        # pxname,svname,scur,stot,status,weight,act,bck,lastchg,check_status,check_code,check_duration,check_desc,addr,
        fe,FRONTEND,3,10,OPEN,,,,,,,,,,
        web,FRONTEND,0,0,OPEN,,,,,,,,,,
        be,a<b,1,7,UP,1,1,0,75,L7OK,200,3,Layer7 check passed,127.0.0.1:1,
        be,down1,0,2,DOWN,1,1,0,3700,L4CON,,0,Connection refused,127.0.0.1:2,
        be,m,0,0,MAINT,1,0,1,90000,,,,,127.0.0.1:3,
        be,d,0,0,DRAIN,1,1,0,5,,,,,127.0.0.1:4,
        be,g,0,0,UP 1/3,1,1,0,5,L4CON,,,,127.0.0.1:5,
        be,BACKEND,1,9,UP,3,2,1,5,,,,,,
        web,BACKEND,0,0,DOWN,0,0,0,5,,,,,,

        """;

    private static string Render(bool onlyUp = false, string? admin = null, string? outcome = null) =>
        StatsHtml.Render(Csv, [("Process", "appliance")], new StatsView(5, onlyUp, "/stats;csv", admin, outcome));

    private static Dictionary<string, (string Class, string Status)> Rows(string html) =>
        Regex.Matches(html, "<tr class=\"([^\"]*)\" id=\"([^\"]*)\" data-status=\"([^\"]*)\"")
            .ToDictionary(m => m.Groups[2].Value, m => (m.Groups[1].Value, m.Groups[3].Value));

    [Fact]
    public void EveryRowHasItsStateClass()
    {
        var rows = Rows(Render());
        Assert.Equal(("frontend", "OPEN"), rows["fe/FRONTEND"]);
        Assert.Equal(("up", "UP"), rows["be/a&lt;b"]);
        Assert.Equal(("down", "DOWN"), rows["be/down1"]);
        Assert.Equal(("maint", "MAINT"), rows["be/m"]);
        Assert.Equal(("drain", "DRAIN"), rows["be/d"]);
        Assert.Equal(("going-down", "UP 1/3"), rows["be/g"]);
        Assert.Equal(("backend", "UP"), rows["be/BACKEND"]);
    }

    [Fact]
    public void OneTablePerProxyInFirstAppearanceOrder()
    {
        string html = Render();
        Assert.Equal(["fe", "web", "be"], Regex.Matches(html, "<table class=\"px\" id=\"px-([^\"]*)\"").Select(m => m.Groups[1].Value));
        // A listen section: its FRONTEND row (with the frontends) and BACKEND row (with the backends) share one table.
        int web = html.IndexOf("id=\"px-web\"", StringComparison.Ordinal), be = html.IndexOf("id=\"px-be\"", StringComparison.Ordinal);
        int webBackend = html.IndexOf("id=\"web/BACKEND\"", StringComparison.Ordinal);
        Assert.InRange(webBackend, web, be);
    }

    [Fact]
    public void ShowsChecksDurationsAndRefresh()
    {
        string html = Render();
        Assert.Contains("<meta http-equiv=\"refresh\" content=\"5\">", html);
        Assert.Contains(">L7OK/200 in 3ms</td>", html);
        Assert.Contains("<td>1h1m</td>", html);
        Assert.Contains("<td>1d1h</td>", html);
        Assert.Contains("href=\"/stats;csv\"", html);
        Assert.DoesNotContain("<script", html);
    }

    [Fact]
    public void UpOnlyLeavesOutServersThatAreNotUp()
    {
        var rows = Rows(Render(onlyUp: true));
        Assert.Contains("be/a&lt;b", rows.Keys);
        Assert.Contains("be/g", rows.Keys);
        Assert.DoesNotContain("be/down1", rows.Keys);
        Assert.DoesNotContain("be/m", rows.Keys);
        Assert.Contains("be/BACKEND", rows.Keys);
    }

    [Fact]
    public void AdminRequestsGetHaproxysFormPerBackend()
    {
        const string csv = "# pxname,svname,status,iid,\nfe,FRONTEND,OPEN,1,\nbe,s1,UP,2,\nbe,s2,DOWN,2,\nbe,BACKEND,UP,2,\n";
        string html = StatsHtml.Render(csv, [], new StatsView(0, false, "/s;csv", AdminAction: "/s", Outcome: "DONE"));
        Assert.Contains("<form method=\"post\" action=\"/s\"><input type=\"hidden\" name=\"b\" value=\"#2\">", html);
        Assert.Contains("<input type=\"checkbox\" name=\"s\" value=\"s1\">", html);
        Assert.Contains("<input type=\"checkbox\" name=\"s\" value=\"s2\">", html);
        Assert.Contains("<option value=\"maint\">", html);
        Assert.Contains(">Action processed successfully.</p>", html);
        // One form: the frontend's table has no servers to act on.
        Assert.Single(Regex.Matches(html, "<form "));
        string readOnly = StatsHtml.Render(csv, [], new StatsView(0, false, "/s;csv"));
        Assert.DoesNotContain("<form", readOnly);
        Assert.DoesNotContain("checkbox", readOnly);
    }

    [Theory]
    [InlineData("0", "0s")]
    [InlineData("59", "59s")]
    [InlineData("61", "1m1s")]
    [InlineData("7322", "2h2m")]
    [InlineData("180000", "2d2h")]
    [InlineData("", "")]
    public void DurationsReadLikeHaproxys(string seconds, string expected) => Assert.Equal(expected, StatsHtml.Duration(seconds));
}
