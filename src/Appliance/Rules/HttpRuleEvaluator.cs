using Appliance.Http;
using Appliance.Routing;

namespace Appliance.Rules;

/// <summary>
/// Runs compiled rules on one connection's messages. HAProxy's order: for a request, the frontend's
/// <c>http-request</c> rules, then routing, then the backend's (unless the backend is the same
/// <c>listen</c> section); for a response, the backend's <c>http-response</c> rules, then the
/// frontend's. Rules record their changes in the caller's <see cref="HeadEdits"/>, which the head
/// writer applies; a later rule, and routing, see the earlier rules' changes through
/// <see cref="Request"/>.
/// </summary>
/// <remarks>
/// One instance per connection (it holds the reusable views), used on the connection's shard thread
/// only. Evaluation allocates nothing, except a <c>replace-header</c> whose replacement uses regex
/// groups when a value matches (see <see cref="ReplaceHeaderRule"/>).
/// </remarks>
public sealed class HttpRuleEvaluator
{
    private readonly EditedRequestView _request = new();
    private readonly EditedResponseView _response = new();
    private HttpRuleSet _frontend = HttpRuleSet.Empty;

    /// <summary>
    /// The request as the rules left it: route with this after <see cref="EvaluateFrontendRequest"/>.
    /// Valid until the next message; it reads the received request and the edits, so both must stay put.
    /// </summary>
    public IRequestView Request => _request;

    /// <summary>
    /// Runs <paramref name="frontend"/>'s request rules on a new request. <paramref name="edits"/> must
    /// be cleared for this message (rules append to it); <paramref name="replyBuffer"/> is where a
    /// redirect built from the request is composed — the outcome's response may point into it.
    /// </summary>
    public RuleOutcome EvaluateFrontendRequest(HttpRuleSet frontend, IRequestView request, HeadEdits edits, Span<byte> replyBuffer)
    {
        _frontend = frontend;
        _request.Begin(request, edits);
        if (frontend.RequestRules.Length == 0) return RuleOutcome.Continue;
        var run = new RuleRun(_request, _request, _request, replyBuffer, frontend.ErrorPages, frontend.ErrorPages);
        return Evaluate(frontend.RequestRules, ref run);
    }

    /// <summary>
    /// Runs the chosen backend's request rules on the same request, after routing. Nothing runs when
    /// the backend is the frontend's own <c>listen</c> section (its rules already ran).
    /// </summary>
    public RuleOutcome EvaluateBackendRequest(HttpRuleSet backend, Span<byte> replyBuffer)
    {
        if (ReferenceEquals(backend, _frontend) || backend.RequestRules.Length == 0) return RuleOutcome.Continue;
        var run = new RuleRun(_request, _request, _request, replyBuffer, backend.ErrorPages, _frontend.ErrorPages);
        return Evaluate(backend.RequestRules, ref run);
    }

    /// <summary>
    /// Runs the response rules: <paramref name="backend"/>'s, then <paramref name="frontend"/>'s.
    /// Response rules only edit headers; false means a rewrite failed and the response must not be
    /// forwarded (HAProxy answers 502).
    /// </summary>
    /// <param name="clientAddress">The client's address (<c>src</c>), as <see cref="IRequestView.SourceAddress"/>.</param>
    public bool EvaluateResponse(HttpRuleSet frontend, HttpRuleSet backend, IResponseView response, ReadOnlySpan<byte> clientAddress, HeadEdits edits)
    {
        bool sameProxy = ReferenceEquals(frontend, backend);
        if (backend.ResponseRules.Length == 0 && (sameProxy || frontend.ResponseRules.Length == 0)) return true;
        _response.Begin(response, clientAddress, edits);
        var run = new RuleRun(_response, _response, null, default, backend.ErrorPages, frontend.ErrorPages);
        if (Evaluate(backend.ResponseRules, ref run).IsFinal) return false;
        if (sameProxy) return true;
        run = new RuleRun(_response, _response, null, default, frontend.ErrorPages, frontend.ErrorPages);
        return !Evaluate(frontend.ResponseRules, ref run).IsFinal;
    }

    private static RuleOutcome Evaluate(CompiledRule[] rules, scoped ref RuleRun run)
    {
        foreach (CompiledRule rule in rules)
        {
            if (rule.Condition is { } condition && !condition.Matches(run.View)) continue;
            switch (rule.Apply(ref run))
            {
                case RuleStep.Next:
                    continue;
                case RuleStep.StopSection:
                    return RuleOutcome.Continue;
                case RuleStep.Reply:
                    return new RuleOutcome(run.Verdict, run.Status, run.Response, run.Service);
                default:
                    return new RuleOutcome(RuleVerdict.RewriteFailed, 500, run.ErrorPage(500));
            }
        }
        return RuleOutcome.Continue;
    }
}
