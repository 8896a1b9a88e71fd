namespace Appliance.Metrics;

/// <summary>
/// Where a configuration's <c>use-service prometheus-exporter</c> rules find the exporter: created with
/// the compiled configuration (before any worker exists), attached once the worker runs. Any thread.
/// </summary>
internal sealed class MetricsEndpoint
{
    private volatile MetricsExporter? _exporter;

    public void Attach(MetricsExporter exporter) => _exporter = exporter;

    /// <summary>The whole HTTP response for a scrape: 200 with the exposition, or 503 before a worker runs.</summary>
    public byte[] Respond() => _exporter?.RenderResponse() ?? NotReady;

    private static readonly byte[] NotReady =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 20\r\nConnection: close\r\n\r\nmetrics not ready\r\n\r\n"u8.ToArray();
}
