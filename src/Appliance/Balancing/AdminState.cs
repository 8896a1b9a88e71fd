namespace Appliance.Balancing;

/// <summary>
/// What an operator asked for a server (HAProxy's <c>set server … state</c>), independent of what health
/// checks see. Only <see cref="Ready"/> servers receive new connections.
/// </summary>
public enum AdminState
{
    /// <summary>In rotation (when also UP and weight &gt; 0).</summary>
    Ready,

    /// <summary>Takes no new connections; existing ones finish. Health checks keep running.</summary>
    Drain,

    /// <summary>
    /// Maintenance: takes no new connections and is not health-checked (HAProxy pauses checks in
    /// maintenance). A server written <c>disabled</c> in the config starts here.
    /// </summary>
    Maint,
}
