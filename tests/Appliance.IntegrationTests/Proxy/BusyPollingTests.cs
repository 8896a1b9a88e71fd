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
        Thread.Sleep(TimeSpan.FromSeconds(1));
        TimeSpan busyUsed = ProcFileSystem.CpuTime(busyWorker) - busyBefore;
        TimeSpan sleepingUsed = ProcFileSystem.CpuTime(sleepingWorker) - sleepingBefore;
        output.WriteLine($"CPU used in 1 s idle: busy-polling {busyUsed.TotalMilliseconds} ms, default {sleepingUsed.TotalMilliseconds} ms");

        // Two cores are shared with the test itself: the polling shard gets well over a quarter of one.
        Assert.True(busyUsed >= TimeSpan.FromMilliseconds(250), $"busy-polling worker used {busyUsed.TotalMilliseconds} ms");
        Assert.True(sleepingUsed <= TimeSpan.FromMilliseconds(100), $"sleeping worker used {sleepingUsed.TotalMilliseconds} ms");

        using var connection = LoopbackConnection.Open(busyPort);
        connection.SendText(HttpRequests.Get("/p/1", close: true));
        Assert.Equal("/p/1", HttpResponse.Read(connection).Header("X-Request-Target"));
    }
}
