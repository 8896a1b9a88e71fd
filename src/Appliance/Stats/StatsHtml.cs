using System.Globalization;
using System.Net;
using System.Text;

namespace Appliance.Stats;

/// <summary>
/// The statistics page as HTML and CSS (no script): a summary of the process, then one table per proxy
/// (frontend row, server rows, backend row) with HAProxy's column groups and state colours. Every value
/// comes from the <c>show stat</c> CSV, so the page and the CSV never disagree.
/// </summary>
internal static class StatsHtml
{
    /// <summary>Column groups and their (CSV field, heading) columns, in HAProxy's page order.</summary>
    private static readonly (string Group, (string Field, string Heading)[] Columns)[] Groups =
    [
        ("Queue", [("qcur", "Cur"), ("qmax", "Max"), ("qlimit", "Limit")]),
        ("Sessions", [("scur", "Cur"), ("smax", "Max"), ("slim", "Limit"), ("stot", "Total"), ("lbtot", "LbTot"), ("lastsess", "Last")]),
        ("Bytes", [("bin", "In"), ("bout", "Out")]),
        ("Denied", [("dreq", "Req"), ("dresp", "Resp")]),
        ("Errors", [("ereq", "Req"), ("econ", "Conn"), ("eresp", "Resp")]),
        ("Warnings", [("wretr", "Retr"), ("wredis", "Redis")]),
        ("HTTP responses", [("hrsp_2xx", "2xx"), ("hrsp_3xx", "3xx"), ("hrsp_4xx", "4xx"), ("hrsp_5xx", "5xx")]),
    ];

    private const string Style = """
        body { font-family: arial, helvetica, sans-serif; font-size: 12px; color: #000; background: #fff; margin: 1em; }
        h1 { font-size: 18px; background: #20435c; color: #fff; padding: 4px 8px; margin: 0 0 8px 0; }
        .info { margin-bottom: 12px; } .info td { padding: 1px 12px 1px 0; }
        table.px { border-collapse: collapse; margin-bottom: 14px; min-width: 60%; }
        table.px caption { text-align: left; font-weight: bold; font-size: 13px; background: #aaaaff; color: #000; padding: 3px 6px; }
        table.px th { background: #c0c0d8; border: 1px solid #999; padding: 2px 4px; font-weight: normal; }
        table.px td { border: 1px solid #bbb; padding: 2px 4px; text-align: right; white-space: nowrap; }
        table.px td.name { text-align: left; font-weight: bold; }
        tr.frontend td, tr.backend td { background: #e8e8f8; }
        tr.frontend td.name, tr.backend td.name { color: #20435c; }
        tr.up td { background: #c0ffc0; }
        tr.going-down td { background: #ffd020; }
        tr.going-up td { background: #e0ffa0; }
        tr.down td { background: #ff9090; }
        tr.maint td { background: #c07820; color: #fff; }
        tr.drain td { background: #20a0ff; }
        tr.nolb td { background: #e8e8d0; }
        tr.nocheck td { background: #e0e0e0; }
        td.status { font-weight: bold; }
        p.outcome { background: #e0ffe0; border: 1px solid #080; padding: 4px 8px; display: inline-block; }
        .legend span { display: inline-block; padding: 1px 6px; margin-right: 4px; border: 1px solid #999; }
        """;

    /// <summary>HAProxy's messages for the result of an admin action.</summary>
    private static string OutcomeText(string code) => code switch
    {
        "DONE" => "Action processed successfully.",
        "PART" => "Action partially processed.",
        "NONE" => "Nothing has changed.",
        "ERRP" => "Action not processed because of invalid parameters.",
        _ => "Unexpected result: " + code,
    };

    /// <param name="csv">The <c>show stat</c> CSV.</param>
    /// <param name="info">Process facts shown above the tables (name, value), already chosen by the caller.</param>
    public static string Render(string csv, IReadOnlyList<(string Name, string Value)> info, StatsView view)
    {
        var table = new StatCsvTable(csv);
        var html = new StringBuilder(4096 + csv.Length * 3);
        html.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">");
        if (view.Refresh > 0) html.Append("<meta http-equiv=\"refresh\" content=\"").Append(view.Refresh).Append("\">");
        html.Append("<title>Statistics Report</title><style>").Append(Style).Append("</style></head><body>\n");
        html.Append("<h1>Statistics Report</h1>\n<table class=\"info\">");
        foreach (var (name, value) in info)
        {
            html.Append("<tr><td>").Append(Encode(name)).Append("</td><td>").Append(Encode(value)).Append("</td></tr>");
        }
        html.Append("</table>\n<p class=\"legend\"><span class=\"st-up\" style=\"background:#c0ffc0\">UP</span>")
            .Append("<span style=\"background:#ffd020\">UP, going down</span><span style=\"background:#ff9090\">DOWN</span>")
            .Append("<span style=\"background:#e0ffa0\">DOWN, going up</span><span style=\"background:#c07820;color:#fff\">MAINT</span>")
            .Append("<span style=\"background:#20a0ff\">DRAIN</span><span style=\"background:#e0e0e0\">no check</span> ")
            .Append("<a href=\"").Append(Encode(view.CsvLink)).Append("\">CSV export</a></p>\n");
        if (view.Outcome is { } outcome)
        {
            html.Append("<p class=\"outcome\" id=\"outcome\" data-code=\"").Append(Encode(outcome)).Append("\">")
                .Append(Encode(OutcomeText(outcome))).Append("</p>\n");
        }

        // One table per proxy: a listen section's FRONTEND row (listed with the frontends) joins its
        // servers and BACKEND row (listed with the backends), in the order proxies first appear.
        var proxies = new List<(string Name, List<string[]> Rows)>();
        var byName = new Dictionary<string, List<string[]>>(StringComparer.Ordinal);
        foreach (string[] row in table.Rows)
        {
            string proxy = table.Get(row, "pxname");
            if (!byName.TryGetValue(proxy, out List<string[]>? rows))
            {
                rows = new List<string[]>();
                byName[proxy] = rows;
                proxies.Add((proxy, rows));
            }
            rows.Add(row);
        }
        foreach (var (proxy, rows) in proxies)
        {
            string? backendId = null;
            foreach (string[] row in rows)
            {
                if (table.Get(row, "svname") == "BACKEND") backendId = table.Get(row, "iid");
            }
            // HAProxy's admin form: one per backend, checkboxes on its servers, an action list below.
            bool form = view.AdminAction is not null && backendId is not null;
            if (form)
            {
                html.Append("<form method=\"post\" action=\"").Append(Encode(view.AdminAction!)).Append("\">")
                    .Append("<input type=\"hidden\" name=\"b\" value=\"#").Append(Encode(backendId!)).Append("\">\n");
            }
            OpenTable(html, proxy, form);
            foreach (string[] row in rows)
            {
                string name = table.Get(row, "svname");
                string status = table.Get(row, "status");
                bool isServer = name is not ("FRONTEND" or "BACKEND");
                if (isServer && view.OnlyUp && !status.StartsWith("UP", StringComparison.Ordinal)) continue;
                AppendRow(html, table, row, proxy, name, status, isServer, form);
            }
            html.Append("</tbody></table>\n");
            if (form)
            {
                html.Append("<p class=\"admin\">Choose the action to perform on the checked servers: <select name=\"action\">")
                    .Append("<option value=\"\"></option><option value=\"ready\">Set state to READY</option>")
                    .Append("<option value=\"drain\">Set state to DRAIN</option><option value=\"maint\">Set state to MAINT</option>")
                    .Append("</select> <input type=\"submit\" value=\"Apply\"></p></form>\n");
            }
        }
        return html.Append("</body></html>\n").ToString();
    }

    private static void OpenTable(StringBuilder html, string proxy, bool form)
    {
        html.Append("<table class=\"px\" id=\"px-").Append(Encode(proxy)).Append("\"><caption>").Append(Encode(proxy)).Append("</caption>\n<thead><tr>");
        if (form) html.Append("<th rowspan=\"2\"></th>");
        html.Append("<th rowspan=\"2\"></th>");
        foreach (var (group, columns) in Groups) html.Append("<th colspan=\"").Append(columns.Length).Append("\">").Append(group).Append("</th>");
        html.Append("<th colspan=\"9\">Server</th></tr>\n<tr>");
        foreach (var (_, columns) in Groups)
        {
            foreach (var (_, heading) in columns) html.Append("<th>").Append(heading).Append("</th>");
        }
        html.Append("<th>Status</th><th>LastChg</th><th>LastChk</th><th>Wght</th><th>Act</th><th>Bck</th><th>Chk</th><th>Dwn</th><th>Dwntme</th></tr></thead><tbody>\n");
    }

    private static void AppendRow(StringBuilder html, StatCsvTable table, string[] row, string proxy, string name, string status, bool isServer, bool form)
    {
        string rowClass = name == "FRONTEND" ? "frontend" : name == "BACKEND" ? "backend" : StateClass(status);
        html.Append("<tr class=\"").Append(rowClass).Append("\" id=\"").Append(Encode(proxy + "/" + name))
            .Append("\" data-status=\"").Append(Encode(status)).Append("\">");
        if (form)
        {
            html.Append("<td>");
            if (isServer) html.Append("<input type=\"checkbox\" name=\"s\" value=\"").Append(Encode(name)).Append("\">");
            html.Append("</td>");
        }
        html.Append("<td class=\"name\">").Append(Encode(name)).Append("</td>");
        foreach (var (_, columns) in Groups)
        {
            foreach (var (field, _) in columns) Cell(html, table.Get(row, field));
        }
        html.Append("<td class=\"status\">").Append(Encode(status)).Append("</td>");
        Cell(html, Duration(table.Get(row, "lastchg")));
        string check = table.Get(row, "check_status");
        if (check.Length > 0)
        {
            string code = table.Get(row, "check_code");
            string duration = table.Get(row, "check_duration");
            check += (code.Length > 0 ? "/" + code : "") + (duration.Length > 0 ? " in " + duration + "ms" : "");
        }
        html.Append("<td class=\"check\" title=\"").Append(Encode(table.Get(row, "check_desc"))).Append("\">").Append(Encode(check)).Append("</td>");
        Cell(html, table.Get(row, "weight"));
        Cell(html, isServer ? (table.Get(row, "act") == "1" ? "Y" : "-") : table.Get(row, "act"));
        Cell(html, isServer ? (table.Get(row, "bck") == "1" ? "Y" : "-") : table.Get(row, "bck"));
        Cell(html, table.Get(row, "chkfail"));
        Cell(html, table.Get(row, "chkdown"));
        Cell(html, Duration(table.Get(row, "downtime")));
        html.Append("</tr>\n");
    }

    private static void Cell(StringBuilder html, string value) => html.Append("<td>").Append(Encode(value)).Append("</td>");

    /// <summary>HAProxy's page colours by server state; "UP 1/3" is a server on its way down, "DOWN 1/2" on its way up.</summary>
    public static string StateClass(string status)
    {
        if (status.StartsWith("UP ", StringComparison.Ordinal)) return "going-down";
        if (status.StartsWith("DOWN ", StringComparison.Ordinal)) return "going-up";
        return status switch
        {
            "UP" => "up",
            "DOWN" => "down",
            "MAINT" or "MAINT (via)" => "maint",
            "DRAIN" => "drain",
            "NOLB" => "nolb",
            _ => "nocheck",
        };
    }

    /// <summary>Seconds as HAProxy's page shows them: 45s, 5m12s, 3h4m, 2d5h.</summary>
    public static string Duration(string seconds)
    {
        if (!long.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out long s)) return seconds;
        if (s < 60) return s.ToString(CultureInfo.InvariantCulture) + "s";
        if (s < 3600) return string.Create(CultureInfo.InvariantCulture, $"{s / 60}m{s % 60}s");
        if (s < 86400) return string.Create(CultureInfo.InvariantCulture, $"{s / 3600}h{s % 3600 / 60}m");
        return string.Create(CultureInfo.InvariantCulture, $"{s / 86400}d{s % 86400 / 3600}h");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
