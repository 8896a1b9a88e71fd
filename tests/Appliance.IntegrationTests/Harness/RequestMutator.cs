using System.Text;

namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// Seeded mutations of valid HTTP/1.1 requests for the fuzz test: bit flips, byte replacements and insertions
/// (with a bias to the bytes parsers care about: CR, LF, NUL, SP, HTAB, ':', ';', ',', DEL, 0xFF), deletions,
/// truncation, a duplicated field line, an injected framing or connection field, CRLF turned into bare LF.
/// The same (seed, index) always gives the same bytes, so a failure names a reproducible case.
/// No template is a HEAD request, so every answer can be framed without knowing the method.
/// </summary>
public static class RequestMutator
{
    public static readonly IReadOnlyList<string> Templates =
    [
        "GET /fuzz/a?x=1&y=%20 HTTP/1.1\r\nHost: fuzz.test\r\nUser-Agent: fuzzer/1.0\r\nAccept: */*\r\n\r\n",
        "POST /sha HTTP/1.1\r\nHost: fuzz.test\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world",
        "POST /sha HTTP/1.1\r\nHost: fuzz.test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n",
        "GET /headers HTTP/1.1\r\nHost: fuzz.test\r\nX-Tenant: gold\r\nCookie: a=b; c=d\r\n\r\n",
        "GET /status/204 HTTP/1.1\r\nHost: fuzz.test\r\n\r\n",
        "GET /legacy HTTP/1.0\r\n\r\n",
        "GET /one HTTP/1.1\r\nHost: fuzz.test\r\n\r\nGET /two HTTP/1.1\r\nHost: fuzz.test\r\nConnection: close\r\n\r\n",
        "PUT /sha HTTP/1.1\r\nHost: fuzz.test\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\ndata",
        "OPTIONS * HTTP/1.1\r\nHost: fuzz.test\r\n\r\n",
        "DELETE /items/7 HTTP/1.1\r\nHost: fuzz.test\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n",
    ];

    private static readonly byte[] InterestingBytes =
        [0, (byte)'\r', (byte)'\n', (byte)' ', (byte)'\t', (byte)':', (byte)';', (byte)',', 0x7f, 0xff, (byte)'"', (byte)'0', (byte)'f', (byte)'/'];

    private static readonly string[] InjectedLines =
    [
        "Content-Length: 5", "Content-Length: 0", "Content-Length: 99999999999999999999", "Transfer-Encoding: chunked",
        "Transfer-Encoding: chunked, gzip", "Transfer-Encoding: identity", " folded", "Host: second.test",
        "Expect: 100-continue", "Connection: close", "Connection: Upgrade", "Upgrade: websocket", "X-Empty:",
        ": no-name", "NoColon", "Content-Length : 3",
    ];

    /// <summary>The request for mutation number <paramref name="index"/> of the run seeded with <paramref name="seed"/>.</summary>
    public static byte[] Mutate(int seed, int index)
    {
        var random = new Random(unchecked((seed * 1_000_003) + index));
        var bytes = new List<byte>(Encoding.Latin1.GetBytes(Templates[random.Next(Templates.Count)]));
        int operations = 1 + random.Next(3);
        for (int i = 0; i < operations && bytes.Count > 0; i++)
        {
            Apply(random.Next(8), bytes, random);
        }

        return [.. bytes];
    }

    /// <summary>The bytes as printable text (<c>\r</c>, <c>\n</c>, <c>\xNN</c>), for failure messages.</summary>
    public static string Describe(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (byte b in bytes)
        {
            text.Append(b switch
            {
                (byte)'\r' => "\\r",
                (byte)'\n' => "\\n",
                >= 0x20 and < 0x7f => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        }

        return text.ToString();
    }

    private static void Apply(int operation, List<byte> bytes, Random random)
    {
        int at = random.Next(bytes.Count);
        switch (operation)
        {
            case 0:
                bytes[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                bytes[at] = Pick(random);
                break;
            case 2:
                bytes.Insert(at, random.Next(2) == 0 ? Pick(random) : (byte)random.Next(256));
                break;
            case 3:
                bytes.RemoveRange(at, Math.Min(1 + random.Next(8), bytes.Count - at));
                break;
            case 4:
                bytes.RemoveRange(Math.Max(1, at), bytes.Count - Math.Max(1, at));
                break;
            case 5:
                if (FieldLines(bytes) is { Count: > 0 } lines)
                {
                    var (start, length) = lines[random.Next(lines.Count)];
                    bytes.InsertRange(start, bytes.GetRange(start, length));
                }

                break;
            case 6:
                if (FieldLines(bytes) is { Count: > 0 } places)
                {
                    var line = Encoding.Latin1.GetBytes(InjectedLines[random.Next(InjectedLines.Length)] + "\r\n");
                    bytes.InsertRange(places[random.Next(places.Count)].Start, line);
                }

                break;
            default:
                int crlf = IndexOf(bytes, at, (byte)'\r', (byte)'\n');
                if (crlf >= 0)
                {
                    bytes.RemoveAt(crlf);
                }

                break;
        }
    }

    private static byte Pick(Random random) => InterestingBytes[random.Next(InterestingBytes.Length)];

    /// <summary>Start and length (CRLF included) of each field line of the first head.</summary>
    private static List<(int Start, int Length)> FieldLines(List<byte> bytes)
    {
        var lines = new List<(int, int)>();
        int start = IndexOf(bytes, 0, (byte)'\r', (byte)'\n');
        while (start >= 0)
        {
            start += 2;
            int end = IndexOf(bytes, start, (byte)'\r', (byte)'\n');
            if (end <= start)
            {
                break;
            }

            lines.Add((start, end + 2 - start));
            start = end;
        }

        return lines;
    }

    private static int IndexOf(List<byte> bytes, int from, byte first, byte second)
    {
        for (int i = from; i + 1 < bytes.Count; i++)
        {
            if (bytes[i] == first && bytes[i + 1] == second)
            {
                return i;
            }
        }

        return -1;
    }
}
