namespace Appliance.Balancing;

/// <summary>Which weight a <see cref="SmoothWeightedRotation"/> step gives each server (0 = left out).</summary>
internal enum RotationWeight
{
    /// <summary>Runtime weight of servers that can take a connection now (usable, free slot, not excluded).</summary>
    Candidate,

    /// <summary>Runtime weight of usable servers, fullness ignored: for tables rebuilt only on state changes.</summary>
    Usable,

    /// <summary>Configured weight of usable servers: <c>static-rr</c> ignores runtime weight changes other than 0.</summary>
    UsableConfigured,
}
