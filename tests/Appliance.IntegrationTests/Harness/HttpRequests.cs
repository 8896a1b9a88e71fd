namespace Appliance.IntegrationTests.Harness;

/// <summary>Request texts the HTTP tests send; bodies are written separately when they are large.</summary>
public static class HttpRequests
{
    public const string DefaultHost = "appliance.test";

    /// <summary><c>GET</c> with Host and the given extra field lines (<c>"Name: value"</c>), keep-alive unless <paramref name="close"/>.</summary>
    public static string Get(string path, bool close = false, string host = DefaultHost, params string[] fields) =>
        Head("GET", path, close, host, fields);

    /// <summary>A request head for any method; add <c>Content-Length</c> or <c>Transfer-Encoding</c> in <paramref name="fields"/>.</summary>
    public static string Head(string method, string path, bool close = false, string host = DefaultHost, params string[] fields) =>
        $"{method} {path} HTTP/1.1\r\nHost: {host}\r\n" +
        string.Concat(fields.Select(field => field + "\r\n")) +
        (close ? "Connection: close\r\n" : "") + "\r\n";

    /// <summary>A complete POST with a Content-Length body.</summary>
    public static string Post(string path, string body, bool close = false, params string[] fields) =>
        Head("POST", path, close, DefaultHost, [.. fields, $"Content-Length: {System.Text.Encoding.UTF8.GetByteCount(body)}"]) + body;
}
