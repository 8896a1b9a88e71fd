namespace Appliance.Health;

/// <summary>
/// A check verdict in HAProxy's vocabulary: its short code (the stats <c>check_status</c>), its long
/// description (used in log lines after "reason:"), and whether it counts as a success. A closed set of
/// instances, compared by reference; HTTP checks will add the <c>L7*</c> ones.
/// </summary>
public sealed class CheckStatus
{
    public static readonly CheckStatus L4Ok = new("L4OK", "Layer4 check passed", passed: true);

    public static readonly CheckStatus L4Timeout = new("L4TOUT", "Layer4 timeout", passed: false);

    public static readonly CheckStatus L4Connection = new("L4CON", "Layer4 connection problem", passed: false);

    /// <summary>The check could not even be attempted (socket creation failed, or a check kind broke).</summary>
    public static readonly CheckStatus SocketError = new("SOCKERR", "Socket error", passed: false);

    private CheckStatus(string code, string description, bool passed)
    {
        Code = code;
        Description = description;
        Passed = passed;
    }

    public string Code { get; }

    public string Description { get; }

    public bool Passed { get; }

    public override string ToString() => Code;
}
