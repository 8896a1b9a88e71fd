using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// One HTTP/1.x response read off a <see cref="LoopbackConnection"/>, framed as RFC 9112 section 6.3 says: no body
/// for 1xx, 204, 304 and answers to HEAD; chunked (decoded, trailers dropped); Content-Length; otherwise until
/// the connection closes. The body's length and SHA-256 are always computed; the bytes are kept only when asked,
/// so 50 MiB answers can be checked without holding them. A malformed response throws
/// <see cref="FormatException"/>, an early close <see cref="EndOfStreamException"/>.
/// </summary>
public sealed record HttpResponse(
    string StatusLine,
    string Version,
    int Status,
    string Reason,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[]? Body,
    long BodyLength,
    string BodySha256,
    bool ChunkedBody)
{
    /// <summary>1xx other than 101: an interim answer that a final one follows.</summary>
    public bool IsInterim => Status is >= 100 and < 200 && Status != 101;

    /// <summary>The kept body as text (Latin-1, byte for byte); empty when the body was not kept.</summary>
    public string BodyText => Body is null ? "" : Encoding.Latin1.GetString(Body);

    public IReadOnlyList<string> HeaderValues(string name) =>
        [.. Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)];

    public string? Header(string name) => HeaderValues(name) is [var first, ..] ? first : null;

    /// <summary>True if a <c>Connection</c> field lists <paramref name="option"/> (e.g. close).</summary>
    public bool HasConnectionOption(string option) =>
        HeaderValues("Connection").SelectMany(v => v.Split(','))
            .Any(v => v.Trim().Equals(option, StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads the next response, interim ones included.</summary>
    /// <param name="headRequest">The request was HEAD: no body whatever the fields say.</param>
    /// <param name="keepBody">Keep the body bytes (false for bulk transfers: only length and hash).</param>
    public static HttpResponse Read(LoopbackConnection connection, bool headRequest = false, bool keepBody = true)
    {
        var statusLine = connection.ReadLine() ?? throw new EndOfStreamException("connection closed before a status line");
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || parts[0] is not ("HTTP/1.1" or "HTTP/1.0") || parts[1].Length != 3
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int status) || status < 100)
        {
            throw new FormatException($"not an HTTP/1.x status line: '{statusLine}'");
        }

        var headers = new List<KeyValuePair<string, string>>();
        while ((connection.ReadLine() ?? throw new EndOfStreamException($"connection closed inside the head of '{statusLine}'"))
               is { Length: > 0 } line)
        {
            int colon = line.IndexOf(':');
            if (colon <= 0 || line[..colon].Trim() != line[..colon])
            {
                throw new FormatException($"not a field line: '{line}' (response '{statusLine}')");
            }

            headers.Add(new(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
        }

        var reason = parts.Length > 2 ? parts[2] : "";
        var head = new HttpResponse(statusLine, parts[0], status, reason, headers, null, 0, EmptySha256, false);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var kept = keepBody ? new MemoryStream() : null;
        long length = 0;
        bool chunked = false;
        if (headRequest || status is < 200 or 204 or 304)
        {
            // No body.
        }
        else if (head.HeaderValues("Transfer-Encoding").Count > 0)
        {
            var codings = string.Join(',', head.HeaderValues("Transfer-Encoding")).Split(',').Select(c => c.Trim()).ToArray();
            if (!codings[^1].Equals("chunked", StringComparison.OrdinalIgnoreCase))
            {
                throw new FormatException($"response '{statusLine}' has Transfer-Encoding '{string.Join(", ", codings)}'");
            }

            chunked = true;
            ReadChunks();
        }
        else if (head.HeaderValues("Content-Length") is { Count: > 0 } lengths)
        {
            if (lengths.Distinct().Count() != 1
                || !long.TryParse(lengths[0], NumberStyles.None, CultureInfo.InvariantCulture, out long contentLength))
            {
                throw new FormatException($"response '{statusLine}' has Content-Length '{string.Join(", ", lengths)}'");
            }

            Copy(contentLength);
        }
        else
        {
            Copy(long.MaxValue);
        }

        return head with
        {
            Body = kept?.ToArray(),
            BodyLength = length,
            BodySha256 = Convert.ToHexStringLower(hash.GetHashAndReset()),
            ChunkedBody = chunked,
        };

        void Copy(long count)
        {
            var buffer = new byte[(int)Math.Min(LoopbackConnection.BulkBufferBytes, Math.Max(count, 1))];
            for (long missing = count; missing > 0;)
            {
                int received = connection.Receive(buffer.AsSpan(0, (int)Math.Min(buffer.Length, missing)));
                if (received == 0)
                {
                    if (count == long.MaxValue)
                    {
                        return;
                    }

                    throw new EndOfStreamException($"connection closed after {count - missing} of {count} body bytes of '{statusLine}'");
                }

                hash.AppendData(buffer, 0, received);
                kept?.Write(buffer, 0, received);
                length += received;
                missing -= received;
            }
        }

        void ReadChunks()
        {
            while (true)
            {
                var sizeLine = connection.ReadLine() ?? throw new EndOfStreamException($"connection closed in chunked body of '{statusLine}'");
                var digits = sizeLine.Split(';')[0];
                if (digits.Length == 0 || !long.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long size))
                {
                    throw new FormatException($"bad chunk size line '{sizeLine}' in '{statusLine}'");
                }

                if (size == 0)
                {
                    while ((connection.ReadLine() ?? throw new EndOfStreamException("connection closed in trailers")).Length > 0)
                    {
                    }

                    return;
                }

                Copy(size);
                if (connection.ReadLine() is not "")
                {
                    throw new FormatException($"chunk data not followed by CRLF in '{statusLine}'");
                }
            }
        }
    }

    /// <summary>Reads past interim (1xx) responses and returns the final one (or a 101).</summary>
    public static HttpResponse ReadFinal(LoopbackConnection connection, bool headRequest = false, bool keepBody = true)
    {
        while (true)
        {
            var response = Read(connection, headRequest, keepBody);
            if (!response.IsInterim)
            {
                return response;
            }
        }
    }

    public override string ToString() =>
        $"{StatusLine}\n{string.Join('\n', Headers.Select(h => $"{h.Key}: {h.Value}"))}\n\n" +
        (Body is null ? $"({BodyLength} bytes)" : BodyText.Length > 2000 ? BodyText[..2000] + "…" : BodyText);

    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
}
