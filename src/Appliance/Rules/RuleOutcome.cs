namespace Appliance.Rules;

/// <summary>
/// The result of evaluating one section's rules on a request. For anything but
/// <see cref="RuleVerdict.Continue"/>, <see cref="Response"/> is the complete response to send (status
/// line, headers, body): either bytes prepared when the configuration was compiled, or a redirect
/// composed in the caller's reply buffer — so it is valid until that buffer is reused.
/// </summary>
public readonly ref struct RuleOutcome
{
    public RuleOutcome(RuleVerdict verdict, int status, ReadOnlySpan<byte> response)
        : this(verdict, status, response, null)
    {
    }

    internal RuleOutcome(RuleVerdict verdict, int status, ReadOnlySpan<byte> response, Metrics.MetricsEndpoint? service)
    {
        Verdict = verdict;
        Status = status;
        Response = response;
        Service = service;
    }

    /// <summary>For <see cref="RuleVerdict.Service"/>: the service that renders the answer.</summary>
    internal Metrics.MetricsEndpoint? Service { get; }

    public static RuleOutcome Continue => default;

    public RuleVerdict Verdict { get; }

    /// <summary>The status the rule answers with (for counters and logs; an errorfile's own status line may differ).</summary>
    public int Status { get; }

    public ReadOnlySpan<byte> Response { get; }

    /// <summary>The proxy answers the request itself and does not forward it.</summary>
    public bool IsFinal => Verdict != RuleVerdict.Continue;
}
