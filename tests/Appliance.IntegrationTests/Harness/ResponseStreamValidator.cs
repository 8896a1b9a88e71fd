using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// Checks that the bytes a client received before the connection closed are zero or more complete HTTP/1.x
/// responses back to back (interim 1xx included), the last one possibly delimited by the close. Used by the fuzz
/// test, where the only acceptable outcomes are parseable answers or a close. Assumes no HEAD request was sent.
/// </summary>
public static partial class ResponseStreamValidator
{
    /// <summary>Null when valid; otherwise what is wrong, with the offset.</summary>
    public static string? Validate(ReadOnlySpan<byte> data, out int responses)
    {
        responses = 0;
        int position = 0;
        while (position < data.Length)
        {
            int headEnd = data[position..].IndexOf("\r\n\r\n"u8);
            if (headEnd < 0)
            {
                return $"at {position}: head not terminated before the close: '{Excerpt(data[position..])}'";
            }

            var lines = Encoding.Latin1.GetString(data.Slice(position, headEnd)).Split("\r\n");
            var statusLine = StatusLine().Match(lines[0]);
            if (!statusLine.Success)
            {
                return $"at {position}: not a status line: '{Excerpt(Encoding.Latin1.GetBytes(lines[0]))}'";
            }

            int status = int.Parse(statusLine.Groups["code"].Value, CultureInfo.InvariantCulture);
            string? contentLength = null;
            bool chunked = false;
            foreach (var line in lines.AsSpan(1))
            {
                var field = FieldLine().Match(line);
                if (!field.Success)
                {
                    return $"at {position}: not a field line: '{Excerpt(Encoding.Latin1.GetBytes(line))}'";
                }

                var name = field.Groups["name"].Value;
                var value = field.Groups["value"].Value.Trim(' ', '\t');
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    if (contentLength is not null && contentLength != value)
                    {
                        return $"at {position}: two Content-Length values";
                    }

                    contentLength = value;
                }
                else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                {
                    chunked = value.EndsWith("chunked", StringComparison.OrdinalIgnoreCase);
                }
            }

            position += headEnd + 4;
            responses++;
            if (status is < 200 or 204 or 304)
            {
                continue;
            }

            if (chunked)
            {
                if (SkipChunks(data, ref position) is { } chunkError)
                {
                    return chunkError;
                }
            }
            else if (contentLength is not null)
            {
                if (!long.TryParse(contentLength, NumberStyles.None, CultureInfo.InvariantCulture, out long length))
                {
                    return $"at {position}: bad Content-Length '{contentLength}'";
                }

                if (length > data.Length - position)
                {
                    return $"at {position}: body truncated: {data.Length - position} of {length} bytes";
                }

                position += (int)length;
            }
            else
            {
                // Delimited by the close: everything left belongs to it.
                position = data.Length;
            }
        }

        return null;
    }

    private static string? SkipChunks(ReadOnlySpan<byte> data, ref int position)
    {
        while (true)
        {
            int lineEnd = data[position..].IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                return $"at {position}: chunked body truncated";
            }

            var digits = Encoding.Latin1.GetString(data.Slice(position, lineEnd)).Split(';')[0];
            if (!long.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long size))
            {
                return $"at {position}: bad chunk size '{digits}'";
            }

            position += lineEnd + 2;
            if (size == 0)
            {
                // Trailers, then the empty line.
                while (true)
                {
                    int end = data[position..].IndexOf("\r\n"u8);
                    if (end < 0)
                    {
                        return $"at {position}: trailers truncated";
                    }

                    position += end + 2;
                    if (end == 0)
                    {
                        return null;
                    }
                }
            }

            if (size + 2 > data.Length - position || !data.Slice(position + (int)size, 2).SequenceEqual("\r\n"u8))
            {
                return $"at {position}: chunk of {size} bytes truncated or not followed by CRLF";
            }

            position += (int)size + 2;
        }
    }

    private static string Excerpt(ReadOnlySpan<byte> bytes) =>
        new(Encoding.Latin1.GetString(bytes[..Math.Min(bytes.Length, 80)]).Select(c => c is >= ' ' and < (char)0x7f ? c : '.').ToArray());

    [GeneratedRegex(@"^HTTP/1\.[01] (?<code>[1-5]\d\d)( [^\x00-\x08\x0a-\x1f\x7f]*)?$")]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"^(?<name>[!#$%&'*+.^_`|~0-9A-Za-z-]+):(?<value>[^\x00-\x08\x0a-\x1f\x7f]*)$")]
    private static partial Regex FieldLine();
}
