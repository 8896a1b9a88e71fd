using Appliance.Config.Model;
using Appliance.Metrics;
using Appliance.Routing;
using Appliance.Routing.Acls;

namespace Appliance.Rules;

/// <summary>
/// <c>use-service prometheus-exporter</c>: answers with the metrics exposition. The session has it
/// rendered on a thread-pool thread and sends it when it is ready, so a scrape never stalls a shard.
/// </summary>
internal sealed class UseServiceRule : CompiledRule
{
    private readonly MetricsEndpoint _endpoint;

    public UseServiceRule(Condition? condition, SourceLocation location, MetricsEndpoint endpoint) : base(condition, location) =>
        _endpoint = endpoint;

    public override RuleStep Apply(ref RuleRun run) => run.ReplyByService(_endpoint);
}
