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

    /// <summary>
    /// Scrapes admitted by <see cref="TryRespondLater"/> and not yet answered. Renders run one at a time
    /// (the exporter's lock), each on a thread-pool thread that waits its turn, so without a bound a burst
    /// of scrape requests would park as many pool threads — the pool that also runs the health checks'
    /// socket completions — and queue renders nobody waits for any more. Prometheus scrapes a target
    /// from one or two servers; 8 leaves room for a person with curl besides.
    /// </summary>
    public const int MaxPendingScrapes = 8;

    private int _pending;

    /// <summary>
    /// Renders the answer (as <see cref="Respond"/>) on a thread-pool thread and hands it to
    /// <paramref name="done"/> there; false, without calling it, when <see cref="MaxPendingScrapes"/>
    /// are already pending (the caller answers <see cref="Busy"/>). A render that throws is answered
    /// with a 500 rather than taking the process down with an unhandled thread-pool exception. Any thread.
    /// </summary>
    public bool TryRespondLater(ReadOnlySpan<byte> query, bool headOnly, Action<byte[]> done)
    {
        if (Interlocked.Increment(ref _pending) > MaxPendingScrapes)
        {
            Interlocked.Decrement(ref _pending);
            return false;
        }
        ThreadPool.UnsafeQueueUserWorkItem(static state => state.Endpoint.RespondNow(state.Query, state.HeadOnly, state.Done),
            (Endpoint: this, Query: query.ToArray(), HeadOnly: headOnly, Done: done), preferLocal: false);
        return true;
    }

    private void RespondNow(byte[] query, bool headOnly, Action<byte[]> done)
    {
        try
        {
            byte[] response;
            try
            {
                response = Respond(query, headOnly);
            }
            catch (Exception)
            {
                response = RenderFailed;
            }
            done(response);
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>The answer when <see cref="MaxPendingScrapes"/> scrapes are already waiting.</summary>
    public static ReadOnlySpan<byte> Busy => BusyResponse;

    /// <summary>The status code of a whole response from <see cref="Respond"/> ("HTTP/1.1 NNN ...").</summary>
    public static int StatusOf(ReadOnlySpan<byte> response) =>
        (response[9] - '0') * 100 + (response[10] - '0') * 10 + (response[11] - '0');

    private static readonly byte[] NotReady =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 19\r\nConnection: close\r\n\r\nmetrics not ready\r\n"u8.ToArray();

    private static readonly byte[] BusyResponse =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 14\r\nConnection: close\r\n\r\nmetrics busy\r\n"u8.ToArray();

    private static readonly byte[] RenderFailed =
        "HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain\r\nContent-Length: 25\r\nConnection: close\r\n\r\nmetrics rendering failed\n"u8.ToArray();

    private static readonly byte[] BadQuery =
        "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 22\r\nConnection: close\r\n\r\nInvalid query-string\r\n"u8.ToArray();
}
