using System.Text;
using Appliance.Benchmarks.Fixtures;
using Appliance.Http;
using BenchmarkDotNet.Attributes;

namespace Appliance.Benchmarks;

/// <summary>
/// Strict request-head parsing into a reused <see cref="RequestHead"/>, as a connection does for every
/// request: the minimal head a load generator sends, and a 387-byte browser head with 8 fields.
/// </summary>
[MemoryDiagnoser]
public class HeadParseBenchmarks
{
    private readonly RequestHead _head = new();
    private byte[] _minimal = [];
    private byte[] _browser = [];

    [GlobalSetup]
    public void Setup()
    {
        _minimal = Encoding.ASCII.GetBytes("GET /index.html HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n");
        _browser = Encoding.ASCII.GetBytes(SampleRequests.BrowserGet("/svc42/items/7?page=3"));
        if (Minimal() != _minimal.Length || Browser() != _browser.Length) throw new InvalidOperationException("sample heads do not parse");
    }

    [Benchmark(Description = "ParseRequest minimal (50 B, 1 field)")]
    public int Minimal()
    {
        _head.Reset();
        return Http1HeadParser.ParseRequest(_minimal, _head).Consumed;
    }

    [Benchmark(Description = "ParseRequest browser (387 B, 8 fields)")]
    public int Browser()
    {
        _head.Reset();
        return Http1HeadParser.ParseRequest(_browser, _head).Consumed;
    }
}
