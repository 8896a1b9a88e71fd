namespace Appliance.Benchmarks.Fixtures;

/// <summary>Request heads the benchmarks parse and route: what a browser sends, about 400 bytes.</summary>
public static class SampleRequests
{
    /// <summary>A browser-like GET for <paramref name="path"/> (8 fields, keep-alive, a cookie).</summary>
    public static string BrowserGet(string path) =>
        $"GET {path} HTTP/1.1\r\n" +
        "Host: www.example.com\r\n" +
        "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n" +
        "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n" +
        "Accept-Language: en-US,en;q=0.5\r\n" +
        "Accept-Encoding: gzip, deflate, br\r\n" +
        "Connection: keep-alive\r\n" +
        "Cookie: session=3f2a9c1e7b5d4a60; theme=dark\r\n" +
        "Upgrade-Insecure-Requests: 1\r\n" +
        "\r\n";

    /// <summary>
    /// <paramref name="count"/> requests for services drawn with a fixed seed from
    /// <c>0 … services-1</c> (every 8th one for a path no route knows, which falls to the default backend).
    /// </summary>
    public static ParsedRequest[] ForServices(int services, int count, int seed = 7)
    {
        var random = new Random(seed);
        var requests = new ParsedRequest[count];
        for (int i = 0; i < count; i++)
        {
            string path = i % 8 == 7
                ? $"/unknown/{random.Next(1000)}"
                : $"/svc{random.Next(services)}/items/{random.Next(1000)}?page={random.Next(9)}";
            requests[i] = new ParsedRequest(BrowserGet(path));
        }
        return requests;
    }
}
