using Appliance.Config.Model;
using Appliance.Routing.Acls;

namespace Appliance.Rules;

/// <summary>
/// <c>deny</c> and <c>return</c>: answers with a response prepared at compile time, or — for the
/// proxy's error page (<c>default-errorfiles</c>, a plain <c>deny</c>) — with the errorfile of the
/// proxy whose rules run, else the frontend's, else the built-in page: one or two array reads. No
/// allocation.
/// </summary>
internal sealed class ReplyRule : CompiledRule
{
    private readonly RuleVerdict _verdict;
    private readonly int _status;
    private readonly byte[]? _response;

    /// <param name="response">The whole response, or null for the proxy's error page for <paramref name="status"/>.</param>
    public ReplyRule(Condition? condition, SourceLocation location, RuleVerdict verdict, int status, byte[]? response)
        : base(condition, location)
    {
        _verdict = verdict;
        _status = status;
        _response = response;
    }

    public override RuleStep Apply(ref RuleRun run) => run.Reply(_verdict, _status, _response ?? run.ErrorPage(_status));
}
