namespace Appliance.Rules;

/// <summary>What the rules decided for a message.</summary>
public enum RuleVerdict
{
    /// <summary>Go on: forward the message with the recorded edits.</summary>
    Continue,
    /// <summary><c>deny</c>: answer <see cref="RuleOutcome.Response"/> instead of forwarding, and count it as refused.</summary>
    Deny,
    /// <summary><c>return</c>: answer <see cref="RuleOutcome.Response"/> instead of forwarding.</summary>
    Return,
    /// <summary><c>redirect</c>: answer <see cref="RuleOutcome.Response"/> (a 3xx with Location) instead of forwarding.</summary>
    Redirect,
    /// <summary>
    /// A rewrite could not be made (the edit list is full, or a computed value is not valid HTTP):
    /// HAProxy's strict mode answers 500 rather than forward a half-rewritten request;
    /// <see cref="RuleOutcome.Response"/> is that page.
    /// </summary>
    RewriteFailed,

    /// <summary>
    /// <c>use-service</c>: the answer is produced off the shard by <see cref="RuleOutcome.Service"/>
    /// (a scrape can take tens of milliseconds); the session waits for it, then sends it.
    /// </summary>
    Service,
}
