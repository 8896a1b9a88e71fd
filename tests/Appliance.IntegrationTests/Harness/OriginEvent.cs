using System.Globalization;
using System.Text.Json;

namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// One line of an http-mode TestBackend's <c>--record</c> journal (see the TestBackend's OriginRecorder for the
/// format). Fields an event kind does not carry are null or 0.
/// </summary>
public sealed record OriginEvent(
    string Kind,
    DateTime Time,
    long Connection,
    int Seq,
    string? RequestLine,
    string? Method,
    string? Target,
    string? Version,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? Framing,
    long BodyLength,
    string? BodySha256,
    bool ContinueSent,
    string? Reason,
    long Bytes,
    string? How,
    long BytesReceived,
    int Requests,
    string Line)
{
    public const string Accepted = "accepted";
    public const string Data = "data";
    public const string Head = "head";
    public const string Request = "request";
    public const string Incomplete = "incomplete";
    public const string Closed = "closed";

    /// <summary>True for the kinds that mean bytes of a request arrived: data, head, request, incomplete.</summary>
    public bool IsRequestActivity => Kind is Data or Head or Request or Incomplete;

    /// <summary>Values of every field line named <paramref name="name"/> (case-insensitive), in arrival order.</summary>
    public IReadOnlyList<string> HeaderValues(string name) =>
        [.. Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)];

    public string? Header(string name) => HeaderValues(name) is [var first, ..] ? first : null;

    public static OriginEvent Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var headers = new List<KeyValuePair<string, string>>();
        if (root.TryGetProperty("headers", out var list))
        {
            foreach (var pair in list.EnumerateArray())
            {
                headers.Add(new(pair[0].GetString()!, pair[1].GetString()!));
            }
        }

        return new OriginEvent(
            Kind: root.GetProperty("event").GetString()!,
            Time: DateTime.Parse(root.GetProperty("time").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            Connection: root.GetProperty("connection").GetInt64(),
            Seq: Int(root, "seq"),
            RequestLine: Text(root, "requestLine"),
            Method: Text(root, "method"),
            Target: Text(root, "target"),
            Version: Text(root, "version"),
            Headers: headers,
            Framing: Text(root, "framing"),
            BodyLength: Long(root, "bodyLength"),
            BodySha256: Text(root, "bodySha256"),
            ContinueSent: root.TryGetProperty("continueSent", out var sent) && sent.GetBoolean(),
            Reason: Text(root, "reason"),
            Bytes: Long(root, "bytes"),
            How: Text(root, "how"),
            BytesReceived: Long(root, "bytesReceived"),
            Requests: Int(root, "requests"),
            Line: line);
    }

    public override string ToString() => Line;

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static long Long(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value.GetInt64() : 0;

    private static int Int(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value.GetInt32() : 0;
}
