namespace Appliance.Health;

/// <summary>
/// A check verdict in HAProxy's vocabulary: its short code (the stats <c>check_status</c>), its long
/// description (used in log lines after "reason:"), and whether it counts as a success. A closed set of
/// instances, compared by reference.
/// </summary>
public sealed class CheckStatus
{
    public static readonly CheckStatus L4Ok = new("L4OK", "Layer4 check passed", passed: true);

    public static readonly CheckStatus L4Timeout = new("L4TOUT", "Layer4 timeout", passed: false);

    public static readonly CheckStatus L4Connection = new("L4CON", "Layer4 connection problem", passed: false);

    /// <summary>The response met every expectation of an HTTP check.</summary>
    public static readonly CheckStatus L7Ok = new("L7OK", "Layer7 check passed", passed: true);

    /// <summary>The response's status failed a <c>status</c>/<c>rstatus</c> expectation.</summary>
    public static readonly CheckStatus L7Status = new("L7STS", "Layer7 wrong status", passed: false);

    /// <summary>No valid response (unparsable, empty, cut short), or its body failed a <c>string</c>/<c>rstring</c> expectation.</summary>
    public static readonly CheckStatus L7Response = new("L7RSP", "Layer7 invalid response", passed: false);

    /// <summary>Connected, but the response did not come in time.</summary>
    public static readonly CheckStatus L7Timeout = new("L7TOUT", "Layer7 timeout", passed: false);

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
