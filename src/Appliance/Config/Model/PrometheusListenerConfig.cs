using System.Net;

namespace Appliance.Config.Model;

/// <summary>
/// <c>prometheus-listener ADDR:PORT</c> in <c>global</c> (ours; HAProxy has no such keyword): a
/// listener of its own that serves the exposition on <c>/metrics</c>, for setups without a frontend to
/// put <c>http-request use-service prometheus-exporter</c> in. Served by a thread of its own, never
/// by a shard.
/// </summary>
public sealed record PrometheusListenerConfig(IPEndPoint EndPoint, SourceLocation Location);
