using System.Diagnostics;

namespace Appliance.IntegrationTests.Proxy;

/// <summary>
/// Health checks take a dead server out of rotation within <c>inter × fall</c> and put it back within
/// <c>inter × rise</c> after it returns; the bounds below add 1 s for check jitter and a loaded machine.
/// One shard, so roundrobin alternates strictly and two successes in a row on the survivor prove the dead
/// server left the rotation. No redispatch and <c>retries 0</c>: a connection that lands on the dead server
/// fails at once instead of being hidden by a retry, which is what makes the moment observable.
/// </summary>
public sealed class HealthCheckTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Inter = TimeSpan.FromMilliseconds(200);
    private const int Rise = 2;
    private const int Fall = 2;
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(20);

    [Fact]
    public void KilledServerLeavesRotationWithinInterTimesFallAndReturnsWithinInterTimesRise()
    {
        using var scratch = new ScratchDirectory();
        using var app1 = BackendProcess.Start(BackendMode.Name, "app1");
        using var app2 = BackendProcess.Start(BackendMode.Name, "app2");
        int port = FreePort.Next();
        var config = $"""
            {ConfigTemplates.Global(nbthread: 1)}
            {ConfigTemplates.TcpDefaults}

            frontend fe
                bind 127.0.0.1:{port}
                default_backend be

            backend be
                balance roundrobin
                retries 0
                server app1 {app1.Address} check inter {Inter.TotalMilliseconds}ms rise {Rise} fall {Fall}
                server app2 {app2.Address} check inter {Inter.TotalMilliseconds}ms rise {Rise} fall {Fall}
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output);
        var seen = new HashSet<string>();
        Eventually.True(
            () =>
            {
                if (BackendNameProbe.TryFetch(port) is { } server)
                {
                    seen.Add(server);
                }

                return seen.Count == 2;
            },
            TimeSpan.FromSeconds(10),
            "both servers answer");

        app1.Kill();
        var sinceKill = Stopwatch.StartNew();
        var outOfRotation = TimeUntilTwoSuccessesInARowOn(port, "app2", sinceKill, TimeSpan.FromSeconds(10));
        output.WriteLine($"app1 out of rotation {outOfRotation.TotalMilliseconds:0} ms after the kill");
        Assert.True(outOfRotation <= Inter * Fall + Slack, $"took {outOfRotation}, bound {Inter * Fall + Slack}");

        app1.Restart();
        var sinceRestart = Stopwatch.StartNew();
        TimeSpan? backInRotation = null;
        while (backInRotation is null && sinceRestart.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (BackendNameProbe.TryFetch(port) == "app1")
            {
                backInRotation = sinceRestart.Elapsed;
            }
            else
            {
                Thread.Sleep(ProbeInterval);
            }
        }

        output.WriteLine($"app1 back in rotation {backInRotation?.TotalMilliseconds:0} ms after the restart");
        Assert.True(backInRotation is not null, "app1 never came back");
        Assert.True(backInRotation <= Inter * Rise + Slack, $"took {backInRotation}, bound {Inter * Rise + Slack}");
    }

    /// <summary>
    /// Probes every <see cref="ProbeInterval"/>; returns the clock's reading when the second of two consecutive
    /// successes on <paramref name="survivor"/> started, the first moment the other server was surely out.
    /// </summary>
    private static TimeSpan TimeUntilTwoSuccessesInARowOn(int port, string survivor, Stopwatch clock, TimeSpan limit)
    {
        bool previousWasSurvivor = false;
        var probes = new List<string>();
        while (clock.Elapsed < limit)
        {
            var startedAt = clock.Elapsed;
            var server = BackendNameProbe.TryFetch(port);
            probes.Add(server ?? "failed");
            if (server == survivor && previousWasSurvivor)
            {
                return startedAt;
            }

            previousWasSurvivor = server == survivor;
            Thread.Sleep(ProbeInterval);
        }

        Assert.Fail($"never two connections in a row on {survivor} within {limit}: {string.Join(", ", probes)}");
        return limit;
    }
}
