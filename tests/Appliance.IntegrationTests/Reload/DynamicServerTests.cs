namespace Appliance.IntegrationTests.Reload;

/// <summary>
/// Servers changed at runtime on a real master + worker, HAProxy semantics (management.txt): <c>add server</c>
/// (created in maintenance, put in rotation by <c>enable server</c>), <c>del server</c> (only in maintenance and
/// without a connection), <c>set server … addr</c> (new connections and checks move, kept-alive server
/// connections to the old address are not reused), the listings that must show dynamic servers, permissions
/// and errors, and all of it surviving a reload.
/// </summary>
public sealed class DynamicServerTests(ITestOutputHelper output)
{
    [Fact]
    public void AddEnableServeDisableDeleteRoundTrip()
    {
        using var scratch = new ScratchDirectory();
        using var app1 = BackendProcess.Start(BackendMode.Http, "app1");
        using var app2 = BackendProcess.Start(BackendMode.Http, "app2");
        int port = FreePort.Next(), metricsPort = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, HttpConfig(scratch, port, $"server app1 {app1.Address}", metricsPort: metricsPort),
            output, arguments: MasterControl.Arguments(scratch));
        var admin = new RuntimeApiClient(scratch.StatsSocketPath);

        Assert.Equal("New server registered.\n\n", admin.Send($"add server be/app2 {app2.Address} weight 1"));
        // Created in maintenance: listed everywhere, but no traffic yet.
        Assert.Equal("MAINT", StatusOf(admin, "app2"));
        Assert.Matches(@"\n\d+ be 2 app2 127\.0\.0\.1 2 1 1 1 \d+ [^\n]* " + app2.Port + " -\n", admin.Send("show servers state be"));
        Assert.Equal("1", MetricValue(metricsPort, "appliance_server_status{proxy=\"be\",server=\"app2\",state=\"MAINT\"}"));
        Assert.All(Fetch(port, 4), name => Assert.Equal("app1", name));

        Assert.Equal("\n", admin.Send("enable server be/app2"));
        List<string> names = Fetch(port, 6);
        // Round-robin over two equal servers, rotated per shard: each shard alternates, whatever the split.
        Assert.InRange(names.Count(n => n == "app2"), 2, 4);
        Assert.Equal("no check", StatusOf(admin, "app2")); // HAProxy's status of an unchecked server in service
        Assert.Equal(names.Count(n => n == "app2").ToString(System.Globalization.CultureInfo.InvariantCulture), Field(admin, "app2", 7)); // stot
        // A server added at runtime has its own traffic statistics (bytes, responses, latency).
        string served = names.Count(n => n == "app2").ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(served, MetricValue(metricsPort, "appliance_server_http_responses_total{proxy=\"be\",server=\"app2\",code=\"2xx\"}"));
        Assert.Equal(served, MetricValue(metricsPort, "appliance_server_response_time_seconds_count{proxy=\"be\",server=\"app2\"}"));
        Assert.NotEqual("0", MetricValue(metricsPort, "appliance_server_bytes_out_total{proxy=\"be\",server=\"app2\"}"));
        Assert.StartsWith("Only servers in maintenance mode can be deleted.\nUsage: del server", admin.Send("del server be/app2"));

        Assert.Equal("\n", admin.Send("disable server be/app2"));
        Assert.All(Fetch(port, 4), name => Assert.Equal("app1", name));
        Assert.Equal("Server deleted.\n\n", admin.Send("del server be/app2"));
        Assert.DoesNotContain(",app2,", admin.Send("show stat"));
        Assert.DoesNotContain(" app2 ", admin.Send("show servers state"));
        Assert.Null(MetricValue(metricsPort, "appliance_server_status{proxy=\"be\",server=\"app2\",state=\"MAINT\"}"));
        Assert.All(Fetch(port, 4), name => Assert.Equal("app1", name));
        Assert.StartsWith("No such server.", admin.Send("enable server be/app2"));

        // The name is free again.
        Assert.Equal("New server registered.\n\n", admin.Send($"add server be/app2 {app2.Address}"));
        Assert.Equal("\n", admin.Send("enable server be/app2"));
        Assert.Contains("app2", Fetch(port, 4));
        Assert.Equal("1", MetricValue(metricsPort, "appliance_server_status{proxy=\"be\",server=\"app2\",state=\"UP\"}"));
        Assert.False(proxy.HasExited);
    }

    [Fact]
    public void DelServerIsRefusedWhileAConnectionIsOpen()
    {
        using var scratch = new ScratchDirectory();
        using var n1 = BackendProcess.Start(BackendMode.Name, "n1");
        using var n2 = BackendProcess.Start(BackendMode.Name, "n2");
        int port = FreePort.Next();
        string config = $"""
            {ConfigTemplates.Global(2, scratch.StatsSocketPath)}
            {ConfigTemplates.TcpDefaults}

            frontend fe
                bind 127.0.0.1:{port}
                default_backend be

            backend be
                balance leastconn
                server n1 {n1.Address}
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output, arguments: MasterControl.Arguments(scratch));
        var admin = new RuntimeApiClient(scratch.StatsSocketPath);
        Assert.Equal("New server registered.\n\n", admin.Send($"add server be/n2 {n2.Address}"));
        Assert.Equal("\n", admin.Send("enable server be/n2"));
        Assert.Equal("\n", admin.Send("disable server be/n1"));

        using (var held = LoopbackConnection.Open(port))
        {
            Assert.Equal("n2", held.ReadLine());
            Assert.Equal("\n", admin.Send("disable server be/n2"));
            Assert.StartsWith("Server still has connections attached to it (1 current), cannot remove it.\nUsage: del server",
                admin.Send("del server be/n2"));
            // Maintenance stops new connections only: the open one still works.
            Assert.Equal("1", Field(admin, "n2", 4)); // scur
        }
        string answer = Eventually.Value(() => admin.Send("del server be/n2"), a => a == "Server deleted.\n\n",
            TimeSpan.FromSeconds(10), "del server once the connection closed");
        Assert.Equal("Server deleted.\n\n", answer);
        Assert.Equal("\n", admin.Send("enable server be/n1"));
        using var next = LoopbackConnection.Open(port);
        Assert.Equal("n1", next.ReadLine());
    }

    [Fact]
    public void SetServerAddrMovesNewConnectionsAndChecks()
    {
        using var scratch = new ScratchDirectory();
        using var app1 = BackendProcess.Start(BackendMode.Http, "app1");
        using var app2 = BackendProcess.Start(BackendMode.Http, "app2");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch,
            HttpConfig(scratch, port, $"server web {app1.Address} check inter 100ms fall 2 rise 1"), output,
            arguments: MasterControl.Arguments(scratch));
        var admin = new RuntimeApiClient(scratch.StatsSocketPath);

        // A client connection kept alive across the change: its second request goes over a fresh server
        // connection to the new address, not over the pooled one to the old address.
        using var keptAlive = LoopbackConnection.Open(port);
        Assert.Equal("app1", Ask(keptAlive));
        Assert.Equal("app1", Ask(keptAlive));
        Assert.Equal($"port changed from '{app1.Port}' to '{app2.Port}' by 'stats socket command'\n\n",
            admin.Send($"set server be/web addr 127.0.0.1 port {app2.Port}"));
        Assert.Equal("app2", Ask(keptAlive));
        Assert.All(Fetch(port, 4), name => Assert.Equal("app2", name));
        Assert.Equal($"127.0.0.1:{app2.Port}", Field(admin, "web", 73)); // addr
        Assert.Matches(@"\n\d+ be 1 web 127\.0\.0\.1 2 0 1 1 \d+ [^\n]* " + app2.Port + " -\n", admin.Send("show servers state be"));
        Assert.Equal("no need to change the addr\n\n", admin.Send($"set server be/web addr 127.0.0.1 port {app2.Port}"));

        // Checks follow: with the old address gone the server stays UP (fall 2 at 100 ms would have
        // taken it DOWN well within the wait had checks still gone to app1).
        app1.Kill();
        Thread.Sleep(TimeSpan.FromSeconds(1));
        Assert.Equal("UP", StatusOf(admin, "web"));
        app2.Kill();
        Eventually.True(() => StatusOf(admin, "web") == "DOWN", TimeSpan.FromSeconds(10), "checks reach the new address");
    }

    [Fact]
    public void DynamicServersAndAddressesSurviveAReload()
    {
        using var scratch = new ScratchDirectory();
        using var app1 = BackendProcess.Start(BackendMode.Http, "app1");
        using var app2 = BackendProcess.Start(BackendMode.Http, "app2");
        using var app3 = BackendProcess.Start(BackendMode.Http, "app3");
        int port = FreePort.Next();
        string config = HttpConfig(scratch, port, $"server s1 {app1.Address}");
        using var proxy = ApplianceProcess.Start(scratch, config, output, arguments: MasterControl.Arguments(scratch));
        var admin = new RuntimeApiClient(scratch.StatsSocketPath);
        var master = MasterControl.For(scratch);

        Assert.Equal("New server registered.\n\n", admin.Send($"add server be/s2 {app2.Address} weight 2 check inter 200ms"));
        Assert.Equal("\n", admin.Send("enable server be/s2"));
        Assert.Equal("\n", admin.Send("enable health be/s2"));
        Assert.StartsWith("Health checks are not configured on this server, cannot enable.", admin.Send("enable health be/s1"));
        Assert.StartsWith("port changed", admin.Send($"set server be/s1 addr 127.0.0.1 port {app3.Port}"));
        Assert.Equal("New server registered.\n\n", admin.Send($"add server be/parked {app1.Address}"));

        master.ReloadOrFail(scratch.FullPath);
        Assert.Equal(2, admin.ShowInfo().GetInt64("Generation"));
        Assert.Equal("UP", StatusOf(admin, "s2"));
        Assert.Equal("MAINT", StatusOf(admin, "parked"));
        Assert.Equal("2 (initial 2)\n\n", admin.Send("get weight be/s2"));
        List<string> names = Fetch(port, 12);
        Assert.DoesNotContain("app1", names);             // s1 kept its runtime address (app3)
        Assert.Equal(12, names.Count(n => n is "app2" or "app3"));
        Assert.True(names.Count(n => n == "app2") > names.Count(n => n == "app3"), string.Join(",", names)); // weight 2 against 1
        // Still a dynamic server: it can be deleted once in maintenance, and the deletion holds.
        Assert.Equal("Server deleted.\n\n", admin.Send("del server be/parked"));
        master.ReloadOrFail(scratch.FullPath);
        Assert.DoesNotContain(",parked,", admin.Send("show stat"));
        Assert.Equal("UP", StatusOf(admin, "s2"));

        // A file that now declares the name wins over the dynamic server.
        ApplianceProcess.WriteConfig(scratch, HttpConfig(scratch, port, $"server s1 {app1.Address}\n    server s2 {app1.Address}"));
        master.ReloadOrFail(scratch.FullPath);
        Assert.Equal(app1.Address, Field(admin, "s2", 73));
        Assert.Equal("no check", StatusOf(admin, "s2"));
        Assert.DoesNotContain("app2", Fetch(port, 4)); // s1 still at its runtime address (app3), s2 at app1
        Assert.Contains("not carried over: the configuration now declares a server of that name", proxy.Stderr.Text);
    }

    [Fact]
    public void PermissionsAndBadArguments()
    {
        using var scratch = new ScratchDirectory();
        using var app1 = BackendProcess.Start(BackendMode.Http, "app1");
        int port = FreePort.Next();
        string operatorSocket = scratch.PathOf("operator.sock");
        string userSocket = scratch.PathOf("user.sock");
        string extra = $"""

            backend fixed
                balance static-rr
                server f1 {app1.Address}
            """;
        string config = HttpConfig(scratch, port, $"server app1 {app1.Address}",
            $"    stats socket {operatorSocket} level operator\n    stats socket {userSocket} level user\n") + extra;
        using var proxy = ApplianceProcess.Start(scratch, config, output, arguments: MasterControl.Arguments(scratch));
        var admin = new RuntimeApiClient(scratch.StatsSocketPath);

        foreach (string socket in new[] { operatorSocket, userSocket })
        {
            var limited = new RuntimeApiClient(socket);
            Assert.Equal("Permission denied\n\n", limited.Send($"add server be/x {app1.Address}"));
            Assert.Equal("Permission denied\n\n", limited.Send("del server be/app1"));
            Assert.Equal("Permission denied\n\n", limited.Send("set server be/app1 addr 127.0.0.2"));
        }
        Assert.DoesNotContain(",x,", admin.Send("show stat"));

        (string Command, string Error)[] cases =
        [
            ("add server be/x", "Require an address (<addr>:<port>)."),
            ("add server be", "Require 'backend/server'."),
            ($"add server nope/x {app1.Address}", "No such backend."),
            ($"add server be/app1 {app1.Address}", "Already exists a server with the same name in backend."),
            ("add server be/x 127.0.0:80", "Invalid address: '127.0.0:80': invalid IP address '127.0.0'."),
            ("add server be/x db.example:80", "Invalid address: 'db.example:80': hostname resolution not supported, use an IP address."),
            ($"add server be/x {app1.Address} slowstart 10s", "'slowstart' option is not accepted for dynamic server (supported: weight, check, inter, fastinter, downinter, rise, fall, port, maxconn, backup, disabled)."),
            ($"add server be/x {app1.Address} wieght 2", "'wieght' is not a server option."),
            ($"add server be/x {app1.Address} weight 300", "option 'weight': value 300 is out of range (0..256)."),
            ($"add server be/x {app1.Address} weight", "option 'weight' needs a value (weight <0..256>)."),
            ($"add server be/x! {app1.Address}", "Invalid server name: invalid character '!' in name 'x!' (allowed: letters, digits, '-', '_', '.', ':')."),
            ($"add server fixed/x {app1.Address}", "Backend must use a dynamic load balancing to support dynamic servers (balance static-rr is static)."),
            ("del server be/nope", "No such server."),
            ("del server be/app1", "Only servers in maintenance mode can be deleted."),
            ("set server be/app1 addr 300.1.1.1", "Invalid IP address '300.1.1.1'."),
            ("set server be/app1 addr 127.0.0.1 port 0", "Invalid port '0' (1-65535)."),
            ("set server be/app1 addr 127.0.0.1 prot 80", "'set server <srv> addr' requires an address and optionally a port."),
        ];
        foreach (var (command, error) in cases)
        {
            string answer = admin.Send(command);
            string[] lines = answer.Split('\n');
            Assert.True(lines.Length == 4 && lines[0] == error && lines[1].StartsWith("Usage: ", StringComparison.Ordinal),
                $"'{command}' answered:\n{answer}");
        }
        Assert.DoesNotContain(",x,", admin.Send("show stat"));
        Assert.Equal(["app1", "app1"], Fetch(port, 2));
        Assert.False(proxy.HasExited);
    }

    private static string HttpConfig(ScratchDirectory scratch, int port, string servers, string globalExtra = "", int? metricsPort = null) => $"""
        global
            nbthread 2
            stats socket {scratch.StatsSocketPath} mode 600 level admin
        {globalExtra}
        defaults
            mode http
            timeout connect 2s
            timeout client 20s
            timeout server 20s
        {(metricsPort is { } m ? $"\nfrontend stats\n    bind 127.0.0.1:{m}\n    http-request use-service prometheus-exporter if {{ path /metrics }}\n" : "")}
        frontend fe
            bind 127.0.0.1:{port}
            default_backend be

        backend be
            balance roundrobin
            {servers}
        """;

    private static string? MetricValue(int metricsPort, string series)
    {
        HttpResponse response = HttpExchange.Send(metricsPort, HttpRequests.Get("/metrics", close: true));
        Assert.Equal(200, response.Status);
        foreach (string line in response.BodyText.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal)) return line[(series.Length + 1)..];
        }
        return null;
    }

    private static string Ask(LoopbackConnection connection)
    {
        connection.SendText(HttpReply.GetRequest());
        var reply = HttpReply.Read(connection);
        Assert.Equal(200, reply.Status);
        return reply.Body;
    }

    private static string StatusOf(RuntimeApiClient api, string server) => Field(api, server, 17);

    private static string Field(RuntimeApiClient api, string server, int index) =>
        api.Send("show stat").Split('\n').Select(l => l.Split(',')).First(r => r.Length > index && r[1] == server)[index];

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
