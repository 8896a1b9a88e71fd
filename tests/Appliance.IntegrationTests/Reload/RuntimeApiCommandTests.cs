namespace Appliance.IntegrationTests.Reload;

/// <summary>
/// The runtime API commands of issue 4 with HAProxy's semantics (management.txt), on an HTTP proxy with two
/// servers: show stat / servers state / backend, disable / enable / set server state / weight, level
/// enforcement, errors with usage, <c>appliance ctl</c>, the master CLI, and runtime changes surviving a reload.
/// </summary>
public sealed class RuntimeApiCommandTests(ITestOutputHelper output)
{
    /// <summary>HAProxy's <c>show stat</c> CSV header, first 40 fields (management.txt section 9.1).</summary>
    private static readonly string[] HaproxyFirstFields =
    [
        "pxname", "svname", "qcur", "qmax", "scur", "smax", "slim", "stot", "bin", "bout",
        "dreq", "dresp", "ereq", "econ", "eresp", "wretr", "wredis", "status", "weight", "act",
        "bck", "chkfail", "chkdown", "lastchg", "downtime", "qlimit", "pid", "iid", "sid", "throttle",
        "lbtot", "tracked", "type", "rate", "rate_lim", "rate_max", "check_status", "check_code", "check_duration", "hrsp_1xx",
    ];

    [Fact]
    public void CommandsLevelsErrorsAndReloadCarryOver()
    {
        using var scratch = new ScratchDirectory();
        using var app1 = BackendProcess.Start(BackendMode.Http, "app1");
        using var app2 = BackendProcess.Start(BackendMode.Http, "app2");
        int port = FreePort.Next();
        string userSocket = scratch.PathOf("user.sock");
        string config = $"""
            global
                nbthread 2
                stats socket {scratch.StatsSocketPath} mode 600 level admin
                stats socket {userSocket} mode 666 level user

            defaults
                mode http
                timeout connect 2s
                timeout client 20s
                timeout server 20s

            frontend fe
                bind 127.0.0.1:{port}
                default_backend be

            backend be
                balance roundrobin
                server app1 {app1.Address} check inter 200ms
                server app2 {app2.Address} check inter 200ms
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output, arguments: MasterControl.Arguments(scratch));
        var admin = new RuntimeApiClient(scratch.StatsSocketPath);
        var user = new RuntimeApiClient(userSocket);
        var master = MasterControl.For(scratch);
        Assert.Equal(Convert.ToInt32("666", 8), (int)File.GetUnixFileMode(userSocket));

        // show stat: HAProxy's header, one row per frontend, server and backend.
        Assert.Equal(["app1", "app2"], Fetch(port, 2).Order());
        var csv = admin.Send("show stat").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("# ", csv[0]);
        Assert.Equal(HaproxyFirstFields, csv[0][2..].Split(',').Take(40));
        var rows = csv.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(["fe/FRONTEND", "be/app1", "be/app2", "be/BACKEND"], rows.Select(r => $"{r[0]}/{r[1]}"));
        Assert.All(rows.Skip(1), r => Assert.Equal("UP", r[17]));
        Assert.Equal("2", rows[0][7]); // stot of the frontend
        Assert.Equal("1", rows[1][7]);

        Assert.Equal("# name\nbe\n\n", user.Send("show backend"));
        var state = admin.Send("show servers state be").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("1", state[0]);
        Assert.StartsWith("# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight", state[1]);
        Assert.Matches(@"^\d+ be 1 app1 127\.0\.0\.1 2 0 1 1 \d+ ", state[2]);

        // Levels: a user socket reads but may not change anything.
        Assert.StartsWith("Permission denied", user.Send("disable server be/app1"));
        Assert.Contains("CumConns:", user.Send("show info"));
        var ctlRefused = ApplianceCli.Run(["ctl", "disable server be/app1", "-s", userSocket], scratch.FullPath);
        Assert.Equal(1, ctlRefused.ExitCode);

        // disable server takes effect for the very next request.
        Assert.Equal("\n", admin.Send("disable server be/app1"));
        Assert.All(Fetch(port, 6), name => Assert.Equal("app2", name));
        Assert.Equal("MAINT", StatusOf(admin, "app1"));
        Assert.Equal("\n", admin.Send("enable server be/app1"));
        Assert.Contains("app1", Fetch(port, 4));

        Assert.Equal("\n", admin.Send("set server be/app1 state drain"));
        Assert.All(Fetch(port, 4), name => Assert.Equal("app2", name));
        Assert.Equal("DRAIN", StatusOf(admin, "app1"));
        Assert.Equal("\n", admin.Send("set server be/app1 state ready"));
        Assert.Equal("\n", admin.Send("set server be/app1 weight 0"));
        Assert.Equal("0 (initial 1)\n\n", admin.Send("get weight be/app1"));
        Assert.All(Fetch(port, 4), name => Assert.Equal("app2", name));
        Assert.Equal("\n", admin.Send("set weight be/app1 100%"));
        Assert.Contains("app1", Fetch(port, 4));

        // Errors: one line and the usage; an unknown command gets the command list.
        string badState = admin.Send("set server be/app1 state bogus");
        Assert.Matches(@"^[^\n]+\nUsage: set server ", badState);
        Assert.StartsWith("No such server.\nUsage: disable server", admin.Send("disable server be/nosuch"));
        Assert.StartsWith("No such backend.\n", admin.Send("disable server nosuch/app1"));
        string unknown = admin.Send("frobnicate now");
        Assert.StartsWith("Unknown command: 'frobnicate now'\n", unknown);
        Assert.Contains("show stat", unknown);
        Assert.Contains("disable server", admin.Send("help"));
        Assert.DoesNotContain("disable server", user.Send("help"));

        // appliance ctl and the master CLI.
        var ctl = ApplianceCli.Run(["ctl", "show backend", "-s", scratch.StatsSocketPath], scratch.FullPath);
        Assert.Equal(0, ctl.ExitCode);
        Assert.Equal(["# name", "be", ""], ctl.Stdout);
        Assert.Equal(proxy.Pid, master.ShowProc().MasterPid);
        Assert.StartsWith("# pxname,svname,", master.Send("show stat"));

        // Runtime changes survive a reload of an unchanged file.
        Assert.Equal("\n", admin.Send("set server be/app2 weight 3"));
        Assert.Equal("\n", admin.Send("disable server be/app1"));
        master.ReloadOrFail(scratch.FullPath);
        Assert.Equal(2, admin.ShowInfo().GetInt64("Generation"));
        Assert.Equal("3 (initial 1)\n\n", admin.Send("get weight be/app2"));
        Assert.Equal("MAINT", StatusOf(admin, "app1"));
        Assert.All(Fetch(port, 4), name => Assert.Equal("app2", name));
        Assert.False(proxy.HasExited);
    }

    [Fact]
    public void AServerKnownDownStaysOutOfRotationAcrossAReload()
    {
        using var scratch = new ScratchDirectory();
        using var app1 = BackendProcess.Start(BackendMode.Http, "app1");
        using var app2 = BackendProcess.Start(BackendMode.Http, "app2");
        int port = FreePort.Next();
        string config = $"""
            global
                nbthread 2
                stats socket {scratch.StatsSocketPath} level admin

            defaults
                mode http
                timeout connect 1s
                timeout client 20s
                timeout server 20s

            frontend fe
                bind 127.0.0.1:{port}
                default_backend be

            backend be
                server app1 {app1.Address} check inter 200ms fall 2 rise 2
                server app2 {app2.Address} check inter 10s fall 2 rise 2
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output, arguments: MasterControl.Arguments(scratch));
        var admin = new RuntimeApiClient(scratch.StatsSocketPath);
        var master = MasterControl.For(scratch);
        app1.Kill();
        Eventually.True(() => StatusOf(admin, "app1") == "DOWN", TimeSpan.FromSeconds(10), "app1 detected DOWN");

        master.ReloadOrFail(scratch.FullPath);
        // Right after the reload, before any new check could have run: still DOWN, never tried.
        Assert.Equal("DOWN", StatusOf(admin, "app1"));
        Assert.All(Fetch(port, 6), name => Assert.Equal("app2", name));
    }

    [Fact]
    public void MapsChangeAtRuntimeAndRoutingFollowsAtOnce()
    {
        using var scratch = new ScratchDirectory();
        using var app1 = BackendProcess.Start(BackendMode.Http, "app1");
        using var app2 = BackendProcess.Start(BackendMode.Http, "app2");
        int port = FreePort.Next();
        string map = scratch.WriteFile("paths.map", "/two be2\n");
        string config = $"""
            global
                nbthread 2
                stats socket {scratch.StatsSocketPath} level operator

            defaults
                mode http
                timeout connect 2s
                timeout client 20s
                timeout server 20s

            frontend fe
                bind 127.0.0.1:{port}
                use_backend %[path,map_beg({map},be1)]

            backend be1
                server app1 {app1.Address}

            backend be2
                server app2 {app2.Address}
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output, arguments: MasterControl.Arguments(scratch));
        var api = new RuntimeApiClient(scratch.StatsSocketPath);
        Assert.Equal(["app1", "app2"], [Get(port, "/one"), Get(port, "/two/x")]);

        Assert.Equal($"# id (file) description\n0 ({map}) entry_cnt=1\n\n", api.Send("show map"));
        Assert.Equal("\n", api.Send($"add map {map} /one be2"));
        Assert.Equal("app2", Get(port, "/one"));
        Assert.Equal("0x0 /two be2\n0x1 /one be2\n\n", api.Send("show map #0"));
        Assert.Equal("\n", api.Send($"set map {map} /two be1"));
        Assert.Equal("app1", Get(port, "/two"));
        Assert.Equal("\n", api.Send($"del map {map} /one"));
        Assert.Equal("app1", Get(port, "/one"));
        Assert.StartsWith("Key not found.\nUsage: del map", api.Send($"del map {map} /one"));
        Assert.StartsWith("Unknown map identifier.", api.Send("clear map /nope.map"));
        Assert.Equal("\n", api.Send($"clear map {map}"));
        Assert.Equal("app1", Get(port, "/two"));
        Assert.StartsWith("Permission denied", api.Send("disable server be1/app1"));
    }

    private static string Get(int port, string path)
    {
        using var connection = LoopbackConnection.Open(port);
        connection.SendText(HttpReply.GetRequest(path, close: true));
        var reply = HttpReply.Read(connection);
        Assert.Equal(200, reply.Status);
        return reply.Body;
    }

    private static string StatusOf(RuntimeApiClient api, string server) =>
        api.Send("show stat").Split('\n').Select(l => l.Split(',')).First(r => r.Length > 17 && r[1] == server)[17];

    /// <summary>The servers that answered <paramref name="count"/> requests, one connection each (every request is balanced).</summary>
    private static List<string> Fetch(int port, int count)
    {
        var names = new List<string>();
        for (int i = 0; i < count; i++)
        {
            using var connection = LoopbackConnection.Open(port);
            connection.SendText(HttpReply.GetRequest(close: true));
            var reply = HttpReply.Read(connection);
            Assert.Equal(200, reply.Status);
            names.Add(reply.Body);
        }
        return names;
    }
}
