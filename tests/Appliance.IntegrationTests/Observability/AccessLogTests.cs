using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Appliance.IntegrationTests.Observability;

/// <summary>
/// Access logs of a real appliance: one httplog line per request with HAProxy's fields to stdout, the same
/// lines over UDP syslog with the facility's priority, tcplog lines for TCP, and a stalled log target that
/// costs lines (counted) but not traffic.
/// </summary>
public sealed partial class AccessLogTests(ITestOutputHelper output)
{
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void HttplogWritesOneLinePerRequestWithHaproxyFields()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.Start(BackendMode.Http, "app1");
        int port = FreePort.Next(), deadPort = FreePort.Next();
        string config = $"""
            global
                nbthread 2
                log stdout format raw local0
            {ConfigTemplates.HttpDefaults}
                log global
                option httplog
                option dontlognull

            frontend fe
                bind 127.0.0.1:{port}
                use_backend down if {"{"} path_beg /down {"}"}
                default_backend be

            backend be
                server app1 {origin.Address}

            backend down
                retries 1
                server gone 127.0.0.1:{deadPort}
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output);
        DateTime before = DateTime.Now;

        // Two requests on one kept-alive connection, the second answered after 150 ms.
        int keptPort;
        using (var connection = LoopbackConnection.Open(port))
        {
            keptPort = ((IPEndPoint)connection.Socket.LocalEndPoint!).Port;
            connection.SendText(HttpRequests.Get("/first"));
            Assert.Equal(200, HttpResponse.ReadFinal(connection).Status);
            connection.SendText(HttpRequests.Get("/slow/150"));
            Assert.Equal(200, HttpResponse.ReadFinal(connection).Status);
        }
        // A 404 from the origin on its own connection, counting every byte the client received.
        int closedPort;
        long received;
        using (var connection = LoopbackConnection.Open(port))
        {
            closedPort = ((IPEndPoint)connection.Socket.LocalEndPoint!).Port;
            connection.SendText(HttpRequests.Get("/status/404", close: true));
            (byte[] bytes, bool closed) = HttpExchange.ReadUntilClosed(connection, TimeSpan.FromSeconds(10));
            Assert.True(closed);
            Assert.StartsWith("HTTP/1.1 404", Encoding.ASCII.GetString(bytes));
            received = bytes.Length;
        }
        // A server nobody listens on: 503 after the retry, "SC" (server side, connecting).
        Assert.Equal(503, HttpExchange.Send(port, HttpRequests.Get("/down/x", close: true)).Status);

        var lines = WaitForLines(proxy.Stdout, 4);
        foreach (AccessLogLine line in lines) output.WriteLine(line.ToString());
        Assert.Equal(4, lines.Count);
        AccessLogLine first = lines.Single(l => l.Request == "GET /first HTTP/1.1");
        AccessLogLine slow = lines.Single(l => l.Request == "GET /slow/150 HTTP/1.1");
        AccessLogLine missing = lines.Single(l => l.Request == "GET /status/404 HTTP/1.1");
        AccessLogLine down = lines.Single(l => l.Request == "GET /down/x HTTP/1.1");

        foreach (AccessLogLine line in lines)
        {
            Assert.Equal("127.0.0.1", line.ClientIp);
            Assert.Equal("fe", line.Frontend);
            Assert.InRange(line.Date, before.AddSeconds(-2), DateTime.Now.AddSeconds(2));
            Assert.True(line.TR >= 0 && line.Ta >= line.TR, line.ToString());
            Assert.True(line.ActiveConnections >= 1 && line.FrontendConnections >= 1, line.ToString());
            Assert.Equal((0, 0), (line.ServerQueue, line.BackendQueue));
        }
        foreach (AccessLogLine line in (AccessLogLine[])[first, slow, missing])
        {
            Assert.Equal(("be", "app1", "----"), (line.Backend, line.Server, line.Termination));
            Assert.True(line.Tw == 0 && line.Tc >= 0 && line.Tr >= 0 && line.Ta >= line.Tr, line.ToString());
            // Counts at the time of the line, this request included (concurrent activity may add to them).
            Assert.True(line.BackendConnections >= 1 && line.ServerConnections >= 1, line.ToString());
            Assert.Equal("0", line.Retries);
        }
        Assert.Equal((keptPort, keptPort, closedPort), (first.ClientPort, slow.ClientPort, missing.ClientPort));
        Assert.Equal((200, 200, 404), (first.Status, slow.Status, missing.Status));
        // Timers in milliseconds from the shard clock: the origin waited 150 ms before answering.
        Assert.InRange(slow.Tr, 140, 10_000);
        Assert.InRange(slow.Ta, slow.Tr, 10_000);
        // The second request on the connection was reused: no connect time.
        Assert.Equal(0, slow.Tc);
        Assert.Equal(received, missing.Bytes);
        Assert.True(first.Bytes > 100, first.ToString());

        Assert.Equal(("down", "gone", 503, "SC--"), (down.Backend, down.Server, down.Status, down.Termination));
        Assert.Equal((-1L, -1L), (down.Tc, down.Tr));
        Assert.Equal("1", down.Retries);
    }

    [Fact]
    public void UdpSyslogReceivesLinesWithFacilityAndTag()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.Start(BackendMode.Http, "app1");
        using var syslog = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int syslogPort = ((IPEndPoint)syslog.Client.LocalEndPoint!).Port;
        int port = FreePort.Next();
        string config = $"""
            global
                nbthread 2
                log-tag edge
            {ConfigTemplates.HttpDefaults}

            frontend fe
                bind 127.0.0.1:{port}
                log 127.0.0.1:{syslogPort} local3 info
                option httplog
                option dontlognull
                default_backend be

            backend be
                server app1 {origin.Address}
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output);
        for (int i = 0; i < 3; i++) Assert.Equal(200, HttpExchange.Send(port, HttpRequests.Get($"/n/{i}", close: true)).Status);

        var messages = new List<string>();
        syslog.Client.ReceiveTimeout = (int)LineTimeout.TotalMilliseconds;
        var from = new IPEndPoint(IPAddress.Any, 0);
        while (messages.Count < 3) messages.Add(Encoding.ASCII.GetString(syslog.Receive(ref from)));
        var requests = new List<string>();
        foreach (string message in messages)
        {
            output.WriteLine(message);
            // local3 = 19, info = 6: <19 * 8 + 6>; RFC 3164 header without hostname, as HAProxy sends it.
            Match header = SyslogHeader().Match(message);
            Assert.True(header.Success, message);
            Assert.Equal(DateTime.Now.ToString("MMM", CultureInfo.InvariantCulture), header.Groups["month"].Value);
            AccessLogLine? line = AccessLogLine.Parse(header.Groups["message"].Value);
            Assert.NotNull(line);
            Assert.Equal(("fe", "be", "app1", 200, "----"), (line.Frontend, line.Backend, line.Server, line.Status, line.Termination));
            requests.Add(line.Request);
        }
        Assert.Equal(["GET /n/0 HTTP/1.1", "GET /n/1 HTTP/1.1", "GET /n/2 HTTP/1.1"], requests.Order().ToArray());
        // Nothing goes to stdout: the frontend's only target is the syslog server.
        Assert.DoesNotContain(proxy.Stdout.Snapshot(), l => l.Contains("GET /n/", StringComparison.Ordinal));
    }

    [Fact]
    public void LogFormatWritesTheConfiguredFields()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.Start(BackendMode.Http, "app1");
        int port = FreePort.Next();
        string config = $"""
            global
                nbthread 1
            {ConfigTemplates.HttpDefaults}

            frontend fe
                bind 127.0.0.1:{port}
                log stdout format raw local0
                log-format "custom %ci %fi:%fp %ft %b/%s %ST %HM %{"{"}+Q{"}"}HU %m %tsc"
                default_backend be

            backend be
                server app1 {origin.Address}
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output);
        int clientPort;
        using (var connection = LoopbackConnection.Open(port))
        {
            clientPort = ((IPEndPoint)connection.Socket.LocalEndPoint!).Port;
            connection.SendText(HttpRequests.Get("/path?q=1", close: true));
            Assert.Equal(200, HttpResponse.ReadFinal(connection).Status);
        }
        string? line = proxy.Stdout.WaitFor(l => l.StartsWith("custom ", StringComparison.Ordinal), LineTimeout);
        Assert.Equal($"custom 127.0.0.1 127.0.0.1:{port} fe be/app1 200 GET \"/path?q=1\" HTTP ----", line);
    }

    [Fact]
    public void TcplogWritesOneLinePerConnection()
    {
        using var scratch = new ScratchDirectory();
        using var echo = BackendProcess.Start(BackendMode.Echo, "echo1");
        int port = FreePort.Next();
        string config = $"""
            global
                nbthread 2
                log stderr format short daemon
            {ConfigTemplates.TcpDefaults}
                log global
                option tcplog

            frontend fe
                bind 127.0.0.1:{port}
                default_backend be

            backend be
                server echo1 {echo.Address}
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output);
        int clientPort;
        using (var connection = LoopbackConnection.Open(port))
        {
            clientPort = ((IPEndPoint)connection.Socket.LocalEndPoint!).Port;
            byte[] payload = new byte[5000];
            Random.Shared.NextBytes(payload);
            connection.Socket.Send(payload);
            connection.Socket.Shutdown(SocketShutdown.Send);
            (byte[] back, bool closed) = HttpExchange.ReadUntilClosed(connection, TimeSpan.FromSeconds(10));
            Assert.True(closed);
            Assert.Equal(payload, back);
        }
        // daemon = 3, info = 6: "<30>" (format short), then the tcplog line.
        string? logged = proxy.Stderr.WaitFor(l => l.StartsWith("<30>", StringComparison.Ordinal), LineTimeout);
        Assert.NotNull(logged);
        output.WriteLine(logged);
        Match m = TcpLog().Match(logged[4..]);
        Assert.True(m.Success, logged);
        Assert.Equal(clientPort.ToString(CultureInfo.InvariantCulture), m.Groups["port"].Value);
        Assert.Equal(("fe", "be", "echo1"), (m.Groups["fe"].Value, m.Groups["be"].Value, m.Groups["srv"].Value));
        Assert.Equal(("0", "5000", "--"), (m.Groups["Tw"].Value, m.Groups["bytes"].Value, m.Groups["ts"].Value));
        Assert.True(long.Parse(m.Groups["Tt"].Value, CultureInfo.InvariantCulture) >= long.Parse(m.Groups["Tc"].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// stdout is a pipe nobody reads: the writer thread blocks on it, the shard's small ring fills, and later lines
    /// are dropped and counted — while every request is still answered promptly.
    /// </summary>
    [Fact]
    public void StalledLogTargetDropsAndCountsLinesWithoutStallingTraffic()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.Start(BackendMode.Http, "app1");
        int port = FreePort.Next(), metricsPort = FreePort.Next();
        string config = $"""
            global
                nbthread 1
                log stdout format raw local0
                tune.log.ring-size 16k
                stats socket {scratch.StatsSocketPath} level admin
            {ConfigTemplates.HttpDefaults}

            frontend metrics
                bind 127.0.0.1:{metricsPort}
                http-request use-service prometheus-exporter if {"{"} path /metrics {"}"}

            frontend fe
                bind 127.0.0.1:{port}
                log global
                option httplog
                default_backend be

            backend be
                server app1 {origin.Address}
            """;
        string configPath = ApplianceProcess.WriteConfig(scratch, config);
        LaunchCommand binary = TestBinaries.Appliance;
        var info = new ProcessStartInfo(binary.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = scratch.FullPath,
        };
        foreach (string argument in binary.LeadingArguments.Concat(["run", "-f", configPath])) info.ArgumentList.Add(argument);
        using var appliance = Process.Start(info)!;
        try
        {
            var ready = new ManualResetEventSlim();
            appliance.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                output.WriteLine(e.Data);
                if (e.Data.Contains(ApplianceProcess.ReadyMarker, StringComparison.Ordinal)) ready.Set();
            };
            appliance.BeginErrorReadLine();
            // stdout is deliberately never read.
            Assert.True(ready.Wait(ApplianceProcess.DefaultReadyTimeout), "appliance not ready");

            const int Requests = 3000;
            var clock = Stopwatch.StartNew();
            using (var connection = LoopbackConnection.Open(port))
            {
                for (int i = 0; i < Requests; i++)
                {
                    connection.SendText(HttpRequests.Get($"/r/{i}"));
                    Assert.Equal(200, HttpResponse.ReadFinal(connection).Status);
                }
            }
            clock.Stop();
            output.WriteLine($"{Requests} requests in {clock.ElapsedMilliseconds} ms");
            // Generous: a loaded 2-core machine does this in a few seconds; a shard waiting on the log would never finish.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"traffic slowed down: {clock.Elapsed}");

            var api = new RuntimeApiClient(scratch.StatsSocketPath);
            long dropped = ShowInfoValue(api.Send("show info"), "DroppedLogs");
            // 3000 lines of ~90 bytes: the 64 KiB pipe and the 32 KiB ring (16k rounds up to fit two longest lines) hold ~1,100.
            Assert.InRange(dropped, 1000, Requests);
            string metrics = HttpExchange.Send(metricsPort, HttpRequests.Get("/metrics", close: true)).BodyText;
            Match metric = DroppedMetric().Match(metrics);
            Assert.True(metric.Success, "appliance_process_dropped_logs_total missing");
            Assert.True(long.Parse(metric.Groups[1].Value, CultureInfo.InvariantCulture) >= dropped);
        }
        finally
        {
            appliance.Kill(entireProcessTree: true);
            appliance.WaitForExit(10_000);
        }
    }

    private static long ShowInfoValue(string info, string key)
    {
        foreach (string line in info.Split('\n'))
        {
            if (line.StartsWith(key + ": ", StringComparison.Ordinal)) return long.Parse(line[(key.Length + 2)..], CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"no {key} in show info:\n{info}");
    }

    private static List<AccessLogLine> WaitForLines(OutputLines stdout, int count)
    {
        Eventually.True(() => stdout.Snapshot().Count(l => AccessLogLine.Parse(l) is not null) >= count, LineTimeout, $"{count} access-log lines");
        // Settle: a line more than expected would be a bug worth seeing.
        Thread.Sleep(300);
        return [.. stdout.Snapshot().Select(AccessLogLine.Parse).OfType<AccessLogLine>()];
    }

    [GeneratedRegex(@"^<158>(?<month>\w{3}) [ \d]\d \d\d:\d\d:\d\d edge\[\d+\]: (?<message>.*)$")]
    private static partial Regex SyslogHeader();

    [GeneratedRegex(@"^127\.0\.0\.1:(?<port>\d+) \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d\.\d{3}\] (?<fe>\S+) (?<be>\S+)/(?<srv>\S+) (?<Tw>-?\d+)/(?<Tc>-?\d+)/(?<Tt>-?\d+) (?<bytes>\d+) (?<ts>\S\S) \d+/\d+/\d+/\d+/\+?\d+ 0/0$")]
    private static partial Regex TcpLog();

    [GeneratedRegex(@"(?m)^appliance_process_dropped_logs_total (\d+)$")]
    private static partial Regex DroppedMetric();
}
