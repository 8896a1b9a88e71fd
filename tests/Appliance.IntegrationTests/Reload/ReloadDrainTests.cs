using System.Diagnostics;

namespace Appliance.IntegrationTests.Reload;

/// <summary>
/// What happens to connections of the old generation: a long TCP transfer completes intact across a reload
/// and the old generation exits when it ends; <c>hard-stop-after</c> closes a stuck tunnel at the deadline;
/// idle kept-alive HTTP connections are closed and a request still arriving on a connection the old
/// generation accepted is answered with <c>Connection: close</c>.
/// </summary>
public sealed class ReloadDrainTests(ITestOutputHelper output)
{
    private const long TransferBytes = 200L * 1024 * 1024;

    [Fact]
    public void TcpTransferStartedBeforeAReloadCompletesIntactAndTheOldGenerationThenExits()
    {
        using var scratch = new ScratchDirectory();
        using var sha = BackendProcess.Start(BackendMode.Sha, "sha");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, TcpConfig(port, sha, hardStopAfter: null), output,
            arguments: MasterControl.Arguments(scratch));
        var master = MasterControl.For(scratch);
        int oldWorker = master.ShowProc().Serving.Pid;

        using var connection = LoopbackConnection.Open(port);
        var stream = new DeterministicByteStream();
        var buffer = new byte[LoopbackConnection.BulkBufferBytes];
        void SendStream(long count)
        {
            for (long remaining = count; remaining > 0;)
            {
                int take = (int)Math.Min(buffer.Length, remaining);
                stream.Fill(buffer.AsSpan(0, take));
                connection.Send(buffer.AsSpan(0, take));
                remaining -= take;
            }
        }

        SendStream(TransferBytes / 2);
        int generation = master.ReloadOrFail(scratch.FullPath);
        var table = master.ShowProc();
        output.WriteLine(table.Text);
        Assert.Contains(table.OldWorkers, w => w.Pid == oldWorker);
        Assert.NotEqual(oldWorker, table.Serving.Pid);
        Assert.Equal(generation, table.Serving.Generation);

        SendStream(TransferBytes - TransferBytes / 2);
        connection.ShutdownSend();
        string? answer = connection.ReadLine();
        Assert.Equal($"{TransferBytes} {DeterministicByteStream.Sha256Hex(TransferBytes)}", answer);

        Eventually.True(() => master.ShowProc().OldWorkers.Count == 0, TimeSpan.FromSeconds(10),
            "the old generation exits once its last transfer ended");
        Assert.True(proxy.Stderr.Contains($"worker {oldWorker} (generation 1) exited (exit code 0)"), proxy.Diagnostics());
    }

    [Fact]
    public void SigtermLetsATransferInFlightFinishThenExitsZero()
    {
        using var scratch = new ScratchDirectory();
        using var sha = BackendProcess.Start(BackendMode.Sha, "sha");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, TcpConfig(port, sha, hardStopAfter: "30s"), output);
        const long Bytes = 64L * 1024 * 1024;

        using var connection = LoopbackConnection.Open(port);
        var payload = DeterministicByteStream.Generate((int)Bytes);
        connection.Send(payload.AsSpan(0, (int)(Bytes / 2)));
        proxy.Signal(ChildProcess.SignalTerminate);
        Eventually.True(() => proxy.Stderr.Contains("draining"), TimeSpan.FromSeconds(5), "the worker drains");
        Assert.False(proxy.HasExited, "the master waits for the transfer");
        connection.Send(payload.AsSpan((int)(Bytes / 2)));
        connection.ShutdownSend();
        Assert.Equal($"{Bytes} {DeterministicByteStream.Sha256Hex(Bytes)}", connection.ReadLine());

        Assert.True(proxy.WaitForExit(TimeSpan.FromSeconds(10)), "the master exits once the transfer ended");
        Assert.Equal(0, proxy.ExitCode);
    }

    [Fact]
    public void HardStopAfterClosesAStuckTunnelAtTheDeadline()
    {
        using var scratch = new ScratchDirectory();
        using var echo = BackendProcess.Start(BackendMode.Echo, "echo");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, TcpConfig(port, echo, hardStopAfter: "2s"), output,
            arguments: MasterControl.Arguments(scratch));
        var master = MasterControl.For(scratch);

        using var stuck = LoopbackConnection.Open(port, TimeSpan.FromSeconds(20));
        stuck.SendText("x");
        Assert.Equal("x"u8.ToArray(), stuck.ReadExactly(1));

        master.ReloadOrFail(scratch.FullPath);
        var clock = Stopwatch.StartNew();
        Assert.Single(master.ShowProc().OldWorkers);
        CloseOutcome outcome = stuck.ReadUntilClosed(out _);
        var closedAfter = clock.Elapsed;

        output.WriteLine($"stuck tunnel closed ({outcome}) {closedAfter.TotalSeconds:0.00} s after the reload");
        Assert.InRange(closedAfter.TotalSeconds, 1.5, 6);
        Eventually.True(() => master.ShowProc().OldWorkers.Count == 0, TimeSpan.FromSeconds(5), "the old generation exited");
        Assert.Equal("echo", EchoOnce(port));
    }

    [Fact]
    public void BeyondMworkerMaxReloadsTheOldestDrainingGenerationIsStopped()
    {
        using var scratch = new ScratchDirectory();
        using var echo = BackendProcess.Start(BackendMode.Echo, "echo");
        int port = FreePort.Next();
        string config = TcpConfig(port, echo, hardStopAfter: null).Replace("global\n", "global\n    mworker-max-reloads 1\n");
        using var proxy = ApplianceProcess.Start(scratch, config, output, arguments: MasterControl.Arguments(scratch));
        var master = MasterControl.For(scratch);

        // One open tunnel per generation keeps each old generation draining.
        using var first = LoopbackConnection.Open(port);
        Assert.Equal("echo", Echo(first));
        master.ReloadOrFail(scratch.FullPath);
        using var second = LoopbackConnection.Open(port);
        Assert.Equal("echo", Echo(second));
        Assert.Equal([1], master.ShowProc().OldWorkers.Select(w => w.Generation));

        master.ReloadOrFail(scratch.FullPath);
        var table = Eventually.Value(master.ShowProc, t => t.OldWorkers.Count == 1, TimeSpan.FromSeconds(5),
            "only mworker-max-reloads (1) old generation left");
        Assert.Equal([2], table.OldWorkers.Select(w => w.Generation));
        first.ReadUntilClosed(out _);
        Assert.Equal("echo", Echo(second));
        Assert.Contains("mworker-max-reloads", proxy.Stderr.Text);
    }

    [Fact]
    public void DrainClosesIdleKeptAliveConnectionsAndAnswersLateRequestsWithConnectionClose()
    {
        using var scratch = new ScratchDirectory();
        using var app = BackendProcess.Start(BackendMode.Http, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, HttpConfig(port, app), output, arguments: MasterControl.Arguments(scratch));
        var master = MasterControl.For(scratch);

        // One kept-alive connection that has served a request and sits idle, one accepted but silent.
        using var idle = LoopbackConnection.Open(port);
        idle.SendText(HttpReply.GetRequest());
        var first = HttpReply.Read(idle);
        Assert.Equal(200, first.Status);
        Assert.False(first.Headers.ContainsKey("Connection"), "kept alive before the reload");
        using var silent = LoopbackConnection.Open(port);
        Thread.Sleep(200); // accepted by generation 1 (the only one) well before the reload

        master.ReloadOrFail(scratch.FullPath);

        Assert.Equal(CloseOutcome.EndOfStream, idle.ReadUntilClosed(out long idleBytes));
        Assert.Equal(0, idleBytes);
        silent.SendText(HttpReply.GetRequest());
        var late = HttpReply.Read(silent);
        Assert.Equal(200, late.Status);
        Assert.Equal("close", late.Headers.GetValueOrDefault("Connection"));
        Assert.Equal(CloseOutcome.EndOfStream, silent.ReadUntilClosed(out _));
        Eventually.True(() => master.ShowProc().OldWorkers.Count == 0, TimeSpan.FromSeconds(5), "the old generation exited");
    }

    [Fact]
    public void WithIdleCloseOnResponseAnIdleConnectionServesItsNextRequestThenCloses()
    {
        using var scratch = new ScratchDirectory();
        using var app = BackendProcess.Start(BackendMode.Http, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, HttpConfig(port, app, "option idle-close-on-response"), output,
            arguments: MasterControl.Arguments(scratch));
        var master = MasterControl.For(scratch);
        using var idle = LoopbackConnection.Open(port);
        idle.SendText(HttpReply.GetRequest());
        Assert.Equal(200, HttpReply.Read(idle).Status);

        master.ReloadOrFail(scratch.FullPath);
        // Not closed by the drain (no end of stream arrives on it): its next request is served by the old
        // generation, with Connection: close. Without the option the drain closes it at once (test above).
        Assert.False(idle.Socket.Poll(TimeSpan.FromMilliseconds(500), System.Net.Sockets.SelectMode.SelectRead), "the drain closed the idle connection");
        Assert.Single(master.ShowProc().OldWorkers);
        idle.SendText(HttpReply.GetRequest());
        var next = HttpReply.Read(idle);
        Assert.Equal(200, next.Status);
        Assert.Equal("close", next.Headers.GetValueOrDefault("Connection"));
        Assert.Equal(CloseOutcome.EndOfStream, idle.ReadUntilClosed(out _));
        Eventually.True(() => master.ShowProc().OldWorkers.Count == 0, TimeSpan.FromSeconds(5), "the old generation exited");
    }

    private static string HttpConfig(int port, BackendProcess server, string defaultsOption = "") => $"""
        global
            nbthread 1
            hard-stop-after 20s

        defaults
            mode http
            {defaultsOption}
            timeout connect 2s
            timeout client 20s
            timeout server 20s

        frontend fe
            bind 127.0.0.1:{port}
            default_backend be

        backend be
            server app1 {server.Address}
        """;

    private static string TcpConfig(int port, BackendProcess server, string? hardStopAfter) => $"""
        global
            nbthread 2
        {(hardStopAfter is null ? "" : $"    hard-stop-after {hardStopAfter}")}

        defaults
            mode tcp
            timeout connect 2s
            timeout client 60s
            timeout server 60s

        frontend fe
            bind 127.0.0.1:{port}
            default_backend be

        backend be
            server {server.Name} {server.Address}
        """;

    private static string EchoOnce(int port)
    {
        using var connection = LoopbackConnection.Open(port);
        return Echo(connection);
    }

    private static string Echo(LoopbackConnection connection)
    {
        connection.SendText("echo");
        return System.Text.Encoding.ASCII.GetString(connection.ReadExactly(4));
    }
}
