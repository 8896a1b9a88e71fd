namespace Appliance.IntegrationTests.Harness;

/// <summary>One <c>show activity</c> line: <c>name: TOTAL [ SHARD0 SHARD1 … ]</c>.</summary>
public sealed record ShardedCounter(long Total, IReadOnlyList<long> PerShard)
{
    public override string ToString() => $"{Total} [ {string.Join(' ', PerShard)} ]";
}
