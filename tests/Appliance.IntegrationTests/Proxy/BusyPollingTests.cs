namespace Appliance.IntegrationTests.Proxy;

/// <summary>
/// <c>busy-polling</c> (HAProxy's global keyword). Contract: with it, a shard never sleeps — an idle worker
/// burns CPU polling with a zero timeout — and still forwards; without it an idle worker sleeps and uses next
/// to no CPU.
/// </summary>
public sealed class BusyPollingTests(ITestOutputHelper output)
{
    [Fact]
    public void AnIdleWorkerPollsWithBusyPollingAndSleepsWithout()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int busyPort = FreePort.Next();
        int sleepingPort = FreePort.Next();
        using var busyScratch = new ScratchDirectory();
        using var busy = ApplianceProcess.Start(busyScratch,
            ConfigTemplates.HttpToServers(busyPort, [origin]).Replace("nbthread 1\n", "nbthread 1\n    busy-polling\n"), output);
        using var sleeping = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(sleepingPort, [origin]), output);

        int busyWorker = Assert.Single(ProcFileSystem.Descendants(busy.Pid));
        int sleepingWorker = Assert.Single(ProcFileSystem.Descendants(sleeping.Pid));
        TimeSpan busyBefore = ProcFileSystem.CpuTime(busyWorker), sleepingBefore = ProcFileSystem.CpuTime(sleepingWorker);
        var idle = System.Diagnostics.Stopwatch.StartNew();
        // Idle, the polling worker keeps burning CPU: wait until it has used 300 ms of it (polled, with a deadline).
        Eventually.True(() => ProcFileSystem.CpuTime(busyWorker) - busyBefore >= TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(10),
            "the idle busy-polling worker uses CPU");
        TimeSpan sleepingUsed = ProcFileSystem.CpuTime(sleepingWorker) - sleepingBefore;
        output.WriteLine($"in {idle.ElapsedMilliseconds} ms idle: busy-polling worker >= 300 ms of CPU, default worker {sleepingUsed.TotalMilliseconds} ms");

        // Over the same time the default worker slept: at most its timer wake-ups (one a second).
        Assert.True(sleepingUsed <= TimeSpan.FromMilliseconds(100), $"sleeping worker used {sleepingUsed.TotalMilliseconds} ms in {idle.ElapsedMilliseconds} ms");

        using var connection = LoopbackConnection.Open(busyPort);
        connection.SendText(HttpRequests.Get("/p/1", close: true));
        Assert.Equal("/p/1", HttpResponse.Read(connection).Header("X-Request-Target"));
    }
}
