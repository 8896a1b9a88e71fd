namespace Appliance.IntegrationTests.Proxy;

/// <summary>
/// With <c>nbthread 2</c> both shards accept (one SO_REUSEPORT listener each, spread by the kernel's hash of the
/// client's address and port): <c>show activity</c> reports <c>accepted: TOTAL [ SHARD0 SHARD1 ]</c> with both
/// shard values above zero. 200 connections from different source ports make a one-sided split practically
/// impossible (2^-199) for a working engine.
/// </summary>
public sealed class ShardAcceptTests(ITestOutputHelper output)
{
    private const int Connections = 200;

    [Fact]
    public void BothShardsAcceptConnections()
    {
        using var scratch = new ScratchDirectory();
        using var backend = BackendProcess.Start(BackendMode.Name, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(
            scratch, ConfigTemplates.TcpPassThrough(port, backend, nbthread: 2, scratch.StatsSocketPath), output);
        var runtimeApi = new RuntimeApiClient(scratch.StatsSocketPath);

        for (int i = 0; i < Connections; i++)
        {
            Assert.Equal("app1", BackendNameProbe.Fetch(port));
        }

        var activity = Eventually.Value(
            runtimeApi.ShowActivity,
            a => a.Get("accepted").Total >= Connections,
            TimeSpan.FromSeconds(5),
            $"show activity counts at least {Connections} accepted");
        var accepted = activity.Get("accepted");

        output.WriteLine($"accepted: {accepted}");
        Assert.Equal(2, runtimeApi.ShowInfo().GetInt64("Nbthread"));
        Assert.Equal(2, accepted.PerShard.Count);
        Assert.All(accepted.PerShard, perShard => Assert.True(perShard > 0, $"a shard accepted nothing: {accepted}"));
        Assert.Equal(accepted.Total, accepted.PerShard.Sum());
    }
}
