using Appliance.Benchmarks.Fixtures;
using Appliance.Http;
using BenchmarkDotNet.Attributes;

namespace Appliance.Benchmarks;

/// <summary>
/// Writing a parsed 387-byte browser head out for the server: hop-by-hop fields dropped, then either
/// only <c>X-Forwarded-For</c> added (<c>option forwardfor</c>, what every HTTP request gets), or four
/// rule edits (set-header, add-header, del-header, set-path) on top.
/// </summary>
[MemoryDiagnoser]
public class HeadRewriteBenchmarks
{
    private readonly HeadEdits _edits = new();
    private readonly byte[] _output = new byte[16384];
    private ParsedRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        _request = new ParsedRequest(SampleRequests.BrowserGet("/svc42/items/7?page=3"));
        if (ForwardedFor() <= 0 || RuleEdits() <= 0) throw new InvalidOperationException("head did not fit");
    }

    [Benchmark(Description = "TryWriteRequest + X-Forwarded-For")]
    public int ForwardedFor()
    {
        _edits.Clear();
        _edits.TryAdd("X-Forwarded-For"u8, "192.0.2.10"u8);
        HeadWriter.TryWriteRequest(_request.Buffer, _request.Head, HopByHopFields.Forwarding, _edits, _output, out int written);
        return written;
    }

    [Benchmark(Description = "TryWriteRequest + XFF + 4 rule edits")]
    public int RuleEdits()
    {
        _edits.Clear();
        _edits.TryAdd("X-Forwarded-For"u8, "192.0.2.10"u8);
        _edits.TrySet("X-Request-Start"u8, "t=1700000000000"u8);
        _edits.TryAdd("X-Tenant"u8, "gold"u8);
        _edits.TryDelete("Cookie"u8);
        _edits.TryReplacePath("/items/7"u8);
        HeadWriter.TryWriteRequest(_request.Buffer, _request.Head, HopByHopFields.Forwarding, _edits, _output, out int written);
        return written;
    }
}
