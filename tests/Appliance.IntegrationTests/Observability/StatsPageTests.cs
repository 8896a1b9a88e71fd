using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace Appliance.IntegrationTests.Observability;

/// <summary>
/// The statistics page (<c>stats enable/uri/refresh/auth</c>) on a real appliance: rendered by headless
/// Chromium (screenshot and DOM) with a server the test stopped shown DOWN, <c>;csv</c> equal to
/// <c>show stat</c>, and Basic authentication.
/// </summary>
public sealed partial class StatsPageTests(ITestOutputHelper output)
{
    private const string User = "admin", Password = "s3cret";

    private static string Config(int port, int statsPort, string socket, BackendProcess one, BackendProcess two) => $"""
        {ConfigTemplates.Global(2, socket)}
        {ConfigTemplates.HttpDefaults}

        frontend fe
            bind 127.0.0.1:{port}
            default_backend be

        listen stats
            bind 127.0.0.1:{statsPort}
            stats enable
            stats uri /stats
            stats refresh 5s
            stats auth {User}:{Password}
            stats realm Appliance\ statistics

        backend be
            server one {one.Address} check inter 200ms fall 1 rise 1
            server two {two.Address} check inter 200ms fall 1 rise 1
        """;

    /// <summary>The page with admin actions for requests carrying <c>X-Admin: yes</c>.</summary>
    private static string AdminConfig(int statsPort, string socket, BackendProcess one, BackendProcess two) => $"""
        {ConfigTemplates.Global(1, socket)}
        {ConfigTemplates.HttpDefaults}

        frontend stats
            bind 127.0.0.1:{statsPort}
            acl admin_header req.hdr(x-admin) yes
            stats uri /stats
            stats auth {User}:{Password}
            stats admin if admin_header

        backend be
            server one {one.Address}
            server two {two.Address}
        """;

    private static string Authorization => "Authorization: Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes($"{User}:{Password}"));

    [Fact]
    public void ChromiumShowsTheStoppedServerDown()
    {
        using var scratch = new ScratchDirectory();
        using var one = BackendProcess.Start(BackendMode.Http, "one");
        using var two = BackendProcess.Start(BackendMode.Http, "two");
        int port = FreePort.Next(), statsPort = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, Config(port, statsPort, scratch.StatsSocketPath, one, two), output);
        var api = new RuntimeApiClient(scratch.StatsSocketPath);
        Eventually.True(() => Status(api.Send("show stat"), "be", "two") == "UP", TimeSpan.FromSeconds(10), "be/two UP");
        Assert.Equal(200, HttpExchange.Send(port, HttpRequests.Get("/", close: true)).Status);

        two.Kill();
        Eventually.True(() => Status(api.Send("show stat"), "be", "two") == "DOWN", TimeSpan.FromSeconds(10), "be/two marked DOWN by its checks");

        string url = $"http://{User}:{Password}@127.0.0.1:{statsPort}/stats";
        string png = scratch.PathOf("stats.png");
        HeadlessChromium.Screenshot(scratch, url, png, 1280, 900);
        byte[] image = File.ReadAllBytes(png);
        Assert.True(image.Length > 10_000, $"screenshot is only {image.Length} bytes");
        Assert.True(image.AsSpan(0, 8).SequenceEqual((byte[])[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a]), "not a PNG");
        Assert.Equal(1280, BinaryPrimitives.ReadInt32BigEndian(image.AsSpan(16)));
        Assert.Equal(900, BinaryPrimitives.ReadInt32BigEndian(image.AsSpan(20)));

        string dom = HeadlessChromium.DumpDom(scratch, url);
        Assert.Contains("<title>Statistics Report</title>", dom);
        Assert.Contains("http-equiv=\"refresh\" content=\"5\"", dom);
        var rows = Rows(dom);
        output.WriteLine(string.Join('\n', rows.Select(r => $"{r.Key}: {r.Value}")));
        Assert.Equal(("down", "DOWN"), rows["be/two"]);
        Assert.Equal(("up", "UP"), rows["be/one"]);
        Assert.Equal(("backend", "UP"), rows["be/BACKEND"]);
        Assert.Equal(("frontend", "OPEN"), rows["fe/FRONTEND"]);
        // The status cell itself, as a reader sees it.
        Assert.Matches(StatusCell("be/two", "DOWN"), dom);
        // One table per proxy, in show stat order.
        Assert.Equal(["fe", "stats", "be"], TableIds().Matches(dom).Select(m => m.Groups[1].Value).ToArray());
    }

    [Fact]
    public void CsvMatchesShowStat()
    {
        using var scratch = new ScratchDirectory();
        using var one = BackendProcess.Start(BackendMode.Http, "one");
        using var two = BackendProcess.Start(BackendMode.Http, "two");
        int port = FreePort.Next(), statsPort = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, Config(port, statsPort, scratch.StatsSocketPath, one, two), output);
        var api = new RuntimeApiClient(scratch.StatsSocketPath);
        two.Kill();
        Eventually.True(() => Status(api.Send("show stat"), "be", "two") == "DOWN", TimeSpan.FromSeconds(10), "be/two DOWN");

        HttpResponse response = HttpExchange.Send(statsPort, HttpRequests.Get("/stats;csv", true, HttpRequests.DefaultHost, Authorization));
        Assert.Equal(200, response.Status);
        Assert.StartsWith("text/plain", response.Header("Content-Type"));
        string csv = response.BodyText;
        string showStat = api.Send("show stat");
        output.WriteLine(csv);

        string[] pageLines = Lines(csv), apiLines = Lines(showStat);
        Assert.Equal(apiLines[0], pageLines[0]);
        string[] fields = pageLines[0][2..].Split(',');
        Assert.Equal("pxname", fields[0]);
        Assert.Equal(apiLines.Length, pageLines.Length);
        // Same rows, same static fields; live counters (sessions, durations, last check times) may move between the two reads.
        string[] stable = ["pxname", "svname", "status", "weight", "act", "bck", "slim", "pid", "iid", "sid", "type", "check_status", "check_rise", "check_fall", "addr", "mode", "algo"];
        for (int i = 1; i < pageLines.Length; i++)
        {
            string[] page = pageLines[i].Split(','), api2 = apiLines[i].Split(',');
            Assert.Equal(fields.Length, page.Length);
            Assert.Equal(api2.Length, page.Length);
            foreach (string field in stable)
            {
                int index = Array.IndexOf(fields, field);
                Assert.True(index >= 0, $"field {field} missing");
                Assert.True(page[index] == api2[index], $"row {i} field {field}: page '{page[index]}', show stat '{api2[index]}'");
            }
        }
        Assert.Equal("DOWN", Status(csv, "be", "two"));
        Assert.Equal("UP", Status(csv, "be", "one"));
    }

    [Fact]
    public void BasicAuthenticationIsRequired()
    {
        using var scratch = new ScratchDirectory();
        using var one = BackendProcess.Start(BackendMode.Http, "one");
        using var two = BackendProcess.Start(BackendMode.Http, "two");
        int port = FreePort.Next(), statsPort = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, Config(port, statsPort, scratch.StatsSocketPath, one, two), output);

        HttpResponse anonymous = HttpExchange.Send(statsPort, HttpRequests.Get("/stats", close: true));
        Assert.Equal(401, anonymous.Status);
        Assert.Equal("Basic realm=\"Appliance statistics\"", anonymous.Header("WWW-Authenticate"));

        string wrong = "Authorization: Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes($"{User}:nope"));
        Assert.Equal(401, HttpExchange.Send(statsPort, HttpRequests.Get("/stats", true, HttpRequests.DefaultHost, wrong)).Status);
        Assert.Equal(401, HttpExchange.Send(statsPort, HttpRequests.Get("/stats;csv", close: true)).Status);

        HttpResponse page = HttpExchange.Send(statsPort, HttpRequests.Get("/stats", true, HttpRequests.DefaultHost, Authorization));
        Assert.Equal(200, page.Status);
        Assert.StartsWith("text/html", page.Header("Content-Type"));
        Assert.Contains("id=\"be/one\"", page.BodyText);

        // The page is read-only: a POST (HAProxy's admin form) is refused.
        HttpResponse post = HttpExchange.Send(statsPort, HttpRequests.Post("/stats", "s=one&action=maint&b=be", close: true, Authorization));
        Assert.Equal(405, post.Status);
        Assert.Equal("GET, HEAD", post.Header("Allow"));

        // Outside the stats URI the listen section is a backend without servers: 503, not the page.
        Assert.Equal(503, HttpExchange.Send(statsPort, HttpRequests.Get("/other", true, HttpRequests.DefaultHost, Authorization)).Status);
    }

    [Fact]
    public void AdminFormChangesServerStatesLikeHaproxys()
    {
        using var scratch = new ScratchDirectory();
        using var one = BackendProcess.Start(BackendMode.Http, "one");
        using var two = BackendProcess.Start(BackendMode.Http, "two");
        int statsPort = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, AdminConfig(statsPort, scratch.StatsSocketPath, one, two), output);
        var api = new RuntimeApiClient(scratch.StatsSocketPath);

        // Without the condition: a read-only page, and a POST is refused.
        string readOnly = HttpExchange.Send(statsPort, HttpRequests.Get("/stats", true, HttpRequests.DefaultHost, Authorization)).BodyText;
        Assert.DoesNotContain("<form", readOnly);
        Assert.Equal(405, HttpExchange.Send(statsPort, HttpRequests.Post("/stats", "b=be&s=two&action=maint", true, Authorization)).Status);
        Assert.Equal("no check", Status(api.Send("show stat"), "be", "two"));

        // With it: HAProxy's form (backend by #iid, checked servers, action), answered 303 back to the page.
        string page = HttpExchange.Send(statsPort, HttpRequests.Get("/stats", true, HttpRequests.DefaultHost, Authorization, "X-Admin: yes")).BodyText;
        Match backendId = Regex.Match(page, "<input type=\"hidden\" name=\"b\" value=\"(#\\d+)\">");
        Assert.True(backendId.Success, page);
        Assert.Contains("<input type=\"checkbox\" name=\"s\" value=\"two\">", page);

        // The body comes in a second segment after the head: it is waited for.
        using (var connection = LoopbackConnection.Open(statsPort))
        {
            string body = $"b={Uri.EscapeDataString(backendId.Groups[1].Value)}&s=two&action=maint";
            connection.SendText(HttpRequests.Head("POST", "/stats", true, HttpRequests.DefaultHost, Authorization, "X-Admin: yes",
                "Content-Type: application/x-www-form-urlencoded", $"Content-Length: {body.Length}"));
            Thread.Sleep(200);
            connection.SendText(body);
            HttpResponse done = HttpResponse.ReadFinal(connection);
            Assert.Equal(303, done.Status);
            Assert.Equal("/stats;st=DONE", done.Header("Location"));
        }
        Assert.Equal("MAINT", Status(api.Send("show stat"), "be", "two"));
        Assert.Equal("no check", Status(api.Send("show stat"), "be", "one"));
        string after = HttpExchange.Send(statsPort, HttpRequests.Get("/stats;st=DONE", true, HttpRequests.DefaultHost, Authorization, "X-Admin: yes")).BodyText;
        Assert.Contains("Action processed successfully.", after);
        Assert.Equal(("maint", "MAINT"), Rows(after)["be/two"]);

        // Back to ready by name; an unknown action and an unknown server are reported, not applied.
        HttpResponse ready = HttpExchange.Send(statsPort, HttpRequests.Post("/stats", "b=be&s=two&action=ready", true, Authorization, "X-Admin: yes"));
        Assert.Equal("/stats;st=DONE", ready.Header("Location"));
        Assert.Equal("no check", Status(api.Send("show stat"), "be", "two"));
        Assert.Equal("/stats;st=ERRP", HttpExchange.Send(statsPort, HttpRequests.Post("/stats", "b=be&s=two&action=explode", true, Authorization, "X-Admin: yes")).Header("Location"));
        Assert.Equal("/stats;st=PART", HttpExchange.Send(statsPort, HttpRequests.Post("/stats", "b=be&s=two&s=nobody&action=drain", true, Authorization, "X-Admin: yes")).Header("Location"));
        Assert.Equal("DRAIN", Status(api.Send("show stat"), "be", "two"));
        // Authentication still comes first.
        Assert.Equal(401, HttpExchange.Send(statsPort, HttpRequests.Post("/stats", "b=be&s=one&action=maint", true, "X-Admin: yes")).Status);
        Assert.Equal("no check", Status(api.Send("show stat"), "be", "one"));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The status field of one row of a show stat CSV, or null.</summary>
    private static string? Status(string csv, string proxy, string server)
    {
        string[] lines = Lines(csv);
        if (lines.Length == 0 || !lines[0].StartsWith("# ", StringComparison.Ordinal)) return null;
        int status = Array.IndexOf(lines[0][2..].Split(','), "status");
        foreach (string line in lines.Skip(1))
        {
            string[] cells = line.Split(',');
            if (cells.Length > status && cells[0] == proxy && cells[1] == server) return cells[status];
        }
        return null;
    }

    private static Dictionary<string, (string Class, string Status)> Rows(string dom) =>
        RowTag().Matches(dom).ToDictionary(m => m.Groups["id"].Value, m => (m.Groups["class"].Value, m.Groups["status"].Value));

    private static Regex StatusCell(string id, string status) =>
        new($"<tr [^>]*id=\"{Regex.Escape(id)}\"[^>]*>(?:(?!</tr>).)*<td class=\"status\">{status}</td>", RegexOptions.Singleline);

    [GeneratedRegex("<tr class=\"(?<class>[^\"]*)\" id=\"(?<id>[^\"]*)\" data-status=\"(?<status>[^\"]*)\"")]
    private static partial Regex RowTag();

    [GeneratedRegex("<table class=\"px\" id=\"px-([^\"]*)\"")]
    private static partial Regex TableIds();
}
