using Appliance.Http;
using Appliance.Routing;

namespace Appliance.Rules;

/// <summary>
/// One evaluation of a section's rules on a message: what they read and write, and the reply a final
/// rule sets. A stack value passed by reference from rule to rule, so an evaluation allocates nothing.
/// </summary>
internal ref struct RuleRun
{
    public RuleRun(EditedHeaderFields fields, IRequestView view, EditedRequestView? request, Span<byte> replyBuffer,
        ErrorPages proxyPages, ErrorPages frontendPages)
    {
        Fields = fields;
        View = view;
        Request = request;
        ReplyBuffer = replyBuffer;
        ProxyPages = proxyPages;
        FrontendPages = frontendPages;
    }

    /// <summary>The message's header fields as edited so far.</summary>
    public EditedHeaderFields Fields { get; }

    /// <summary>What conditions and values read (the same object as <see cref="Fields"/>).</summary>
    public IRequestView View { get; }

    /// <summary>The request, for request rules (set-path, redirect); null for response rules.</summary>
    public EditedRequestView? Request { get; }

    public HeadEdits Edits => Fields.Edits;

    /// <summary>Where a redirect whose location depends on the request is composed.</summary>
    public Span<byte> ReplyBuffer { get; }

    /// <summary>The errorfiles of the proxy whose rules run, then of the frontend (HAProxy's lookup order).</summary>
    public ErrorPages ProxyPages { get; }

    public ErrorPages FrontendPages { get; }

    public RuleVerdict Verdict { get; private set; }

    public int Status { get; private set; }

    public ReadOnlySpan<byte> Response { get; private set; }

    /// <summary>Set by <see cref="ReplyByService"/>.</summary>
    internal Metrics.MetricsEndpoint? Service { get; private set; }

    /// <summary><c>use-service</c>: the session asks <paramref name="service"/> for the answer, off the shard.</summary>
    /// <returns><see cref="RuleStep.Reply"/>.</returns>
    internal RuleStep ReplyByService(Metrics.MetricsEndpoint service)
    {
        Verdict = RuleVerdict.Service;
        Status = 200;
        Response = default;
        Service = service;
        return RuleStep.Reply;
    }

    /// <returns><see cref="RuleStep.Reply"/>.</returns>
    public RuleStep Reply(RuleVerdict verdict, int status, ReadOnlySpan<byte> response)
    {
        Verdict = verdict;
        Status = status;
        Response = response;
        return RuleStep.Reply;
    }

    /// <summary>The errorfile for <paramref name="status"/> (this proxy's, then the frontend's), else the built-in page.</summary>
    public readonly byte[] ErrorPage(int status) =>
        ProxyPages.Find(status) ?? FrontendPages.Find(status) ?? BuiltInErrorPages.For(status);
}
