namespace Appliance.Config.Model;

/// <summary><c>http-request use-service SERVICE</c>: the proxy answers the request itself with the service's output.</summary>
public sealed record UseServiceAction(string Service) : HttpRuleAction
{
    public const string PrometheusExporter = "prometheus-exporter";

    public override string Name => "use-service";

    public override bool IsFinal => true;
}
