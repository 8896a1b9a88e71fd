using Appliance.Config.Model;
using Appliance.Metrics;
using Appliance.Routing;
using Appliance.Routing.Acls;

namespace Appliance.Rules;

/// <summary>
/// <c>use-service prometheus-exporter</c>: answers with the metrics exposition, rendered when the
/// request comes (a scrape, not the data path: it allocates the response).
/// </summary>
internal sealed class UseServiceRule : CompiledRule
{
    private readonly MetricsEndpoint _endpoint;

    public UseServiceRule(Condition? condition, SourceLocation location, MetricsEndpoint endpoint) : base(condition, location) =>
        _endpoint = endpoint;

    public override RuleStep Apply(ref RuleRun run)
    {
        IRequestView view = run.View;
        byte[] response = _endpoint.Respond(view.HasQuery ? view.Query : default, view.Method.SequenceEqual("HEAD"u8));
        return run.Reply(RuleVerdict.Return, StatusOf(response), response);
    }

    /// <summary>The status code of a whole response ("HTTP/1.1 NNN ...").</summary>
    private static int StatusOf(ReadOnlySpan<byte> response) =>
        (response[9] - '0') * 100 + (response[10] - '0') * 10 + (response[11] - '0');
}
