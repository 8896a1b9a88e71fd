namespace Appliance.Config.Model;

/// <summary>The <c>balance</c> keyword's algorithms.</summary>
public enum BalanceAlgorithm
{
    /// <summary>Smooth weighted round-robin, rotation kept per shard.</summary>
    RoundRobin,
    /// <summary>Static weighted round-robin (weights fixed at config time).</summary>
    StaticRoundRobin,
    /// <summary>Fewest active connections (summed over shards), weighted.</summary>
    LeastConn,
    /// <summary>First server (by declaration order) with a free slot.</summary>
    First,
    /// <summary>Hash of the client address.</summary>
    Source,
    /// <summary>Power of two random choices, the one with fewer connections wins.</summary>
    Random,
}
