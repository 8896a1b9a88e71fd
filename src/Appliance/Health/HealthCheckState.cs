using Appliance.Config.Model;

namespace Appliance.Health;

/// <summary>
/// HAProxy's rise/fall health counter for one server, as a pure state machine (no I/O, no clock).
/// <para>
/// <see cref="Health"/> runs from 0 to <c>rise + fall - 1</c>; the server is UP while it is at least
/// <c>rise</c>. A success adds one and, on reaching <c>rise</c>, jumps to the top (fully UP); a failure
/// removes one and, on dropping below <c>rise</c>, falls to 0 (fully DOWN). Hence: from fully UP,
/// <c>fall</c> consecutive failures take the server DOWN (any success in between restores it fully), and
/// from DOWN, <c>rise</c> consecutive successes bring it UP (any failure in between starts over).
/// </para>
/// <para>
/// Start (and return from maintenance) is HAProxy's too: the counter is set to <c>rise</c> — "up, but
/// will fall down at first failure". The server takes traffic at once, yet a server that is dead at
/// startup leaves rotation after one failed check instead of <c>fall</c>, while a single success makes
/// a healthy one fully UP (the counter reaches <c>rise</c>, so it jumps to the top).
/// </para>
/// Not thread-safe: owned by the health prober.
/// </summary>
public sealed class HealthCheckState
{
    public HealthCheckState(int rise, int fall)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rise, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(fall, 1);
        Rise = rise;
        Fall = fall;
        Health = rise;
    }

    public int Rise { get; }

    public int Fall { get; }

    /// <summary>HAProxy's <c>check->health</c>: 0 … rise + fall - 1.</summary>
    public int Health { get; private set; }

    public bool IsUp => Health >= Rise;

    /// <summary>Fully UP or fully DOWN: no transition under way, and (for UP) checked at least once.</summary>
    public bool IsStable => Health == FullHealth || Health == 0;

    private int FullHealth => Rise + Fall - 1;

    /// <summary>Resumes from a state carried over a reload: fully UP, or fully DOWN (needs <c>rise</c> successes).</summary>
    public void ResumeFrom(bool up) => Health = up ? FullHealth : 0;

    /// <summary>Back to the starting point (UP, one failure from DOWN), as when leaving maintenance.</summary>
    public void Reset() => Health = Rise;

    public HealthTransition RecordSuccess()
    {
        if (Health >= FullHealth) return HealthTransition.None;
        bool wasUp = IsUp;
        Health++;
        if (Health < Rise) return HealthTransition.None;
        Health = FullHealth;
        return wasUp ? HealthTransition.None : HealthTransition.WentUp;
    }

    public HealthTransition RecordFailure()
    {
        if (Health == 0) return HealthTransition.None;
        bool wasUp = IsUp;
        Health--;
        if (Health >= Rise) return HealthTransition.None;
        Health = 0;
        return wasUp ? HealthTransition.WentDown : HealthTransition.None;
    }

    /// <summary>
    /// Delay before the next check, per HAProxy's table: <paramref name="inter"/> when fully UP,
    /// <paramref name="downInter"/> when fully DOWN, <paramref name="fastInter"/> otherwise — UP but
    /// failing, DOWN but recovering, or not yet confirmed since start.
    /// </summary>
    public TimeSpan NextInterval(TimeSpan inter, TimeSpan fastInter, TimeSpan downInter) =>
        Health == FullHealth ? inter
        : Health == 0 ? downInter
        : fastInter;

    public TimeSpan NextInterval(ServerConfig server) =>
        NextInterval(server.EffectiveInter, server.EffectiveFastInter, server.EffectiveDownInter);

    /// <summary>HAProxy's stats wording: <c>UP</c>, <c>UP 1/3</c> (going down), <c>DOWN 1/2</c> (going up), <c>DOWN</c>.</summary>
    public override string ToString() =>
        Health == FullHealth ? "UP"
        : IsUp ? $"UP {Health - Rise + 1}/{Fall}"
        : Health == 0 ? "DOWN"
        : $"DOWN {Health}/{Rise}";
}
