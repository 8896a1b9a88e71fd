namespace Appliance.Metrics;

/// <summary>
/// Where a configuration's <c>use-service prometheus-exporter</c> rules (and the <c>prometheus-listener</c>)
/// find the exporter: created with the compiled configuration (before any worker exists), attached
/// once the worker runs. Any thread.
/// </summary>
internal sealed class MetricsEndpoint
{
    private volatile MetricsExporter? _exporter;

    public void Attach(MetricsExporter exporter) => _exporter = exporter;

    public MetricsExporter? Exporter => _exporter;

    /// <summary>
    /// The whole HTTP response for a scrape with <paramref name="query"/> (after '?', HAProxy's
    /// <c>scope=</c> filter): 200 with the exposition (headers only for HEAD), 400 for a bad query,
    /// 503 before a worker runs.
    /// </summary>
    public byte[] Respond(ReadOnlySpan<byte> query = default, bool headOnly = false)
    {
        if (!MetricsQuery.TryParse(query, out MetricsScope scope)) return BadQuery;
        return _exporter?.RenderResponse(scope, headOnly) ?? NotReady;
    }

    /// <summary>The status code of a whole response from <see cref="Respond"/> ("HTTP/1.1 NNN ...").</summary>
    public static int StatusOf(ReadOnlySpan<byte> response) =>
        (response[9] - '0') * 100 + (response[10] - '0') * 10 + (response[11] - '0');

    private static readonly byte[] NotReady =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 19\r\nConnection: close\r\n\r\nmetrics not ready\r\n"u8.ToArray();

    private static readonly byte[] BadQuery =
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 22\r\nConnection: close\r\n\r\nInvalid query-string\r\n"u8.ToArray();
}
