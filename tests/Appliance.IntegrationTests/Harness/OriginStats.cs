using System.Text.Json;

namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// The counters an http-mode TestBackend answers on <c>/stats</c>, fetched directly (not through the proxy).
/// <see cref="Connections"/> counts every accepted connection, including health-check probes and the
/// connection used to ask; <see cref="Requests"/> counts completely received requests, <c>/stats</c> excluded.
/// </summary>
public sealed record OriginStats(long Connections, long Requests)
{
    public static OriginStats Fetch(int port)
    {
        using var connection = LoopbackConnection.Open(port);
        connection.SendText(HttpRequests.Get("/stats", close: true));
        var response = HttpResponse.Read(connection);
        using var json = JsonDocument.Parse(response.BodyText);
        return new OriginStats(
            json.RootElement.GetProperty("connections").GetInt64(),
            json.RootElement.GetProperty("requests").GetInt64());
    }
}
