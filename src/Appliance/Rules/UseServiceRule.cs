using Appliance.Config.Model;
using Appliance.Metrics;
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

    public override RuleStep Apply(ref RuleRun run) => run.Reply(RuleVerdict.Return, 200, _endpoint.Respond());
}
