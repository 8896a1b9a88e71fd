using System.Globalization;
using System.Security.Cryptography;

namespace Appliance.TestBackend;

/// <summary>
/// Reads one request body as framed by its head, hashing the decoded bytes and handing them to an optional
/// <see cref="IBodySink"/>. Chunk syntax is checked strictly (hex size, optional extensions, CRLF after data):
/// a proxy that forwards a broken chunk must show up as an <c>incomplete</c> record, not as a valid request.
/// </summary>
internal static class RequestBodyReader
{
    // Larger than the per-connection head buffer so bulk bodies take few receive calls.
    private const int BodyBufferBytes = 256 * 1024;

    public static async Task<BodyReadResult> ReadAsync(
        ConnectionReader reader, OriginRequestHead head, IBodySink? sink, CancellationToken cancel)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[head.Framing == RequestFraming.None ? 1 : BodyBufferBytes];
        long total = 0;
        string? error = head.Framing switch
        {
            RequestFraming.Length => await ReadExactlyAsync(head.ContentLength),
            RequestFraming.Chunked => await ReadChunksAsync(),
            _ => null,
        };
        return new BodyReadResult(total, Convert.ToHexStringLower(hash.GetHashAndReset()), error);

        async Task<string?> ReadExactlyAsync(long count)
        {
            for (long missing = count; missing > 0;)
            {
                int received = await reader.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, missing)), cancel);
                if (received == 0)
                {
                    return $"eof in body after {count - missing} of {count} bytes";
                }

                hash.AppendData(buffer, 0, received);
                total += received;
                missing -= received;
                if (sink is not null)
                {
                    await sink.DataAsync(buffer.AsMemory(0, received), cancel);
                }
            }

            return null;
        }

        async Task<string?> ReadChunksAsync()
        {
            while (true)
            {
                var sizeLine = await reader.ReadLineAsync(cancel);
                if (sizeLine is null)
                {
                    return "eof in chunk size line";
                }

                if (ParseChunkSize(sizeLine) is not { } size)
                {
                    return $"bad chunk size line '{Printable(sizeLine)}'";
                }

                if (size == 0)
                {
                    return await ReadTrailersAsync();
                }

                if (sink is not null)
                {
                    await sink.ChunkStartAsync(size, cancel);
                }

                if (await ReadExactlyAsync(size) is { } dataError)
                {
                    return dataError;
                }

                var terminator = await reader.ReadLineAsync(cancel);
                if (terminator != "")
                {
                    return terminator is null ? "eof after chunk data" : "chunk data not followed by CRLF";
                }

                if (sink is not null)
                {
                    await sink.ChunkEndAsync(cancel);
                }
            }
        }

        async Task<string?> ReadTrailersAsync()
        {
            while (true)
            {
                var line = await reader.ReadLineAsync(cancel);
                if (line is null)
                {
                    return "eof in trailers";
                }

                if (line.Length == 0)
                {
                    return null;
                }
            }
        }
    }

    /// <summary>chunk-size [ chunk-ext ]: hex digits, then nothing or <c>;</c> and printable extension text.</summary>
    private static long? ParseChunkSize(string line)
    {
        int semicolon = line.IndexOf(';');
        var digits = semicolon < 0 ? line : line[..semicolon];
        if (digits.Length is 0 or > 15 || !digits.All(char.IsAsciiHexDigit))
        {
            return null;
        }

        if (semicolon >= 0 && line[(semicolon + 1)..] is var extension
            && (extension.Length == 0 || extension.Any(c => (c < 0x20 && c != '\t') || c == 0x7f)))
        {
            return null;
        }

        return long.Parse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    private static string Printable(string text) =>
        new(text.Take(64).Select(c => c is >= ' ' and < (char)0x7f ? c : '?').ToArray());
}
