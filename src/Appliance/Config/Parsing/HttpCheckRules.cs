using Appliance.Config.Model;

namespace Appliance.Config.Parsing;

/// <summary>
/// A section's HTTP check while it is read: whether <c>option httpchk</c> applies, and the rule set written
/// by <c>option httpchk</c> and <c>http-check</c> lines. As in HAProxy, a proxy inherits both from its
/// defaults section, but the rule set only as a whole: the first such line written in the proxy starts it
/// afresh (enabling stays inherited), so a backend never mixes its own expectations with inherited ones.
/// </summary>
internal sealed record HttpCheckRules
{
    public static HttpCheckRules None { get; } = new();

    /// <summary><c>option httpchk</c> was written here or in the defaults this section inherits.</summary>
    public bool Enabled { get; init; }

    /// <summary>The request parts set so far; null when no line set any.</summary>
    public HttpCheckRequestParts? Request { get; init; }

    public ValueList<HttpCheckExpectation> Expectations { get; init; } = ValueList<HttpCheckExpectation>.Empty;

    public int? ConnectPort { get; init; }

    /// <summary>An <c>http-check connect</c> without <c>default</c> was written.</summary>
    public bool ConnectWithoutDefaults { get; init; }

    public bool ConnectLinger { get; init; }

    public HttpCheckStep LastStep { get; init; }

    /// <summary>Where the explicit <c>http-check send</c> is, to point at it when a second one is refused.</summary>
    public SourceLocation? SendLocation { get; init; }

    /// <summary>The first <c>http-check</c> rule line: where rules that can never run are reported.</summary>
    public SourceLocation? FirstRuleLocation { get; init; }

    public string? FirstRuleSection { get; init; }

    public string? FirstRuleKeyword { get; init; }

    /// <summary>An empty rule set that keeps <paramref name="enabled"/>.</summary>
    public static HttpCheckRules Fresh(bool enabled) => enabled ? None with { Enabled = true } : None;

    /// <summary>The check the engine runs; only meaningful when <see cref="Enabled"/>.</summary>
    public HttpCheckConfig ToConfig() => new(
        (Request ?? new HttpCheckRequestParts(null, null, null, ValueList<HttpCheckHeader>.Empty, null)).ToRequest(),
        Expectations.Count > 0 ? Expectations : new ValueList<HttpCheckExpectation>([HttpCheckConfig.DefaultExpectation]),
        ConnectPort,
        UsesServerCheckOptions: !ConnectWithoutDefaults,
        ConnectLinger);
}
