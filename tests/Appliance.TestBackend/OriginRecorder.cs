using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Appliance.TestBackend;

/// <summary>
/// The <c>--record FILE</c> journal of the <c>http</c> mode: one JSON object per line, appended and flushed as
/// each event happens, so a test that has received a response can read the matching <c>request</c> line at once.
/// Every line has <c>event</c>, <c>time</c> (UTC, ISO 8601) and <c>connection</c> (1-based accept number).
/// Request-phase events also have <c>seq</c>: the 1-based number of the request on its connection, counting
/// every request whose bytes started to arrive, so all events about one request share (connection, seq).
/// <list type="bullet">
/// <item><c>accepted</c>: a TCP connection was accepted.</item>
/// <item><c>data</c>: bytes of a request head arrived but the head is not complete yet (<c>bytes</c> so far);
///   written at most once per request, so even a head that never completes leaves a trace at once.</item>
/// <item><c>head</c>: a request head was parsed (<c>requestLine</c>, <c>method</c>, <c>target</c>, <c>version</c>,
///   <c>headers</c> as [name, value] pairs in arrival order, names and values as received).</item>
/// <item><c>request</c>: the request is complete (head fields again, plus <c>framing</c> none|length|chunked,
///   <c>bodyLength</c>, <c>bodySha256</c> of the decoded body, <c>continueSent</c>); written before the response.</item>
/// <item><c>incomplete</c>: the request ended before it was complete or could not be parsed (<c>reason</c>,
///   <c>bytes</c> of it received).</item>
/// <item><c>closed</c>: the connection ended (<c>how</c>: eof|reset|local|stopped, <c>bytesReceived</c>,
///   <c>requests</c> completed on it).</item>
/// </list>
/// Requests for <c>/stats</c> are not recorded (no head/request line), so querying the counters leaves the journal
/// as it was, but for its <c>accepted</c>/<c>closed</c> lines and, if its head arrived in pieces, a <c>data</c> line.
/// Thread-safe: connection tasks write concurrently, each line with one write under a lock.
/// </summary>
internal sealed class OriginRecorder : IDisposable
{
    private readonly object _gate = new();
    private readonly FileStream? _file;

    private OriginRecorder(FileStream? file) => _file = file;

    /// <summary>A recorder that writes nothing (no <c>--record</c>).</summary>
    public static OriginRecorder Disabled { get; } = new(null);

    public static OriginRecorder Open(string path) =>
        new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete));

    public void Accepted(long connection) => Write("accepted", connection, null, _ => { });

    public void Data(long connection, int seq, long bytes) =>
        Write("data", connection, seq, json => json.WriteNumber("bytes", bytes));

    public void Head(long connection, int seq, OriginRequestHead head) =>
        Write("head", connection, seq, json => WriteHead(json, head));

    public void Request(long connection, int seq, OriginRequestHead head, BodyReadResult body, bool continueSent) =>
        Write("request", connection, seq, json =>
        {
            WriteHead(json, head);
            json.WriteString("framing", head.Framing.ToString().ToLowerInvariant());
            json.WriteNumber("bodyLength", body.Length);
            json.WriteString("bodySha256", body.Sha256Hex);
            json.WriteBoolean("continueSent", continueSent);
        });

    public void Incomplete(long connection, int seq, string reason, long bytes) =>
        Write("incomplete", connection, seq, json =>
        {
            json.WriteString("reason", reason);
            json.WriteNumber("bytes", bytes);
        });

    public void Closed(long connection, string how, long bytesReceived, int requests) =>
        Write("closed", connection, null, json =>
        {
            json.WriteString("how", how);
            json.WriteNumber("bytesReceived", bytesReceived);
            json.WriteNumber("requests", requests);
        });

    public void Dispose() => _file?.Dispose();

    private static void WriteHead(Utf8JsonWriter json, OriginRequestHead head)
    {
        json.WriteString("requestLine", head.RequestLine);
        json.WriteString("method", head.Method);
        json.WriteString("target", head.Target);
        json.WriteString("version", head.Version);
        json.WriteStartArray("headers");
        foreach (var (name, value) in head.Headers)
        {
            json.WriteStartArray();
            json.WriteStringValue(name);
            json.WriteStringValue(value);
            json.WriteEndArray();
        }

        json.WriteEndArray();
    }

    private void Write(string kind, long connection, int? seq, Action<Utf8JsonWriter> fields)
    {
        if (_file is null)
        {
            return;
        }

        var line = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(line))
        {
            json.WriteStartObject();
            json.WriteString("event", kind);
            json.WriteString("time", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            json.WriteNumber("connection", connection);
            if (seq is { } number)
            {
                json.WriteNumber("seq", number);
            }

            fields(json);
            json.WriteEndObject();
        }

        lock (_gate)
        {
            _file.Write(line.WrittenSpan);
            _file.WriteByte((byte)'\n');
            // Flushed per line: the test reads the file while we run, right after it got the response.
            _file.Flush();
        }
    }
}
