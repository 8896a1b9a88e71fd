using System.Net;
using System.Text;
using Appliance.Routing;

namespace Appliance.Tests.Routing;

/// <summary>
/// A parsed request for routing tests: every part is encoded (UTF-8) once at construction, so the
/// <see cref="IRequestView"/> members only slice arrays (allocation tests rely on that).
/// </summary>
public sealed class TestRequest : IRequestView
{
    private readonly byte[] _method;
    private readonly byte[] _url;
    private readonly int _pathStart;
    private readonly int _pathEnd;
    private readonly int _queryStart;
    private readonly byte[][] _names;
    private readonly byte[][] _values;
    private readonly byte[] _source;

    public TestRequest(string url, string method = "GET", string? source = "192.0.2.10", params (string Name, string Value)[] headers)
    {
        _method = Encoding.UTF8.GetBytes(method);
        _url = Encoding.UTF8.GetBytes(url);
        // path: from the first '/' after any scheme://authority, up to the first '?'.
        int start = 0;
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0 && url.IndexOf('?') is var q && (q < 0 || scheme < q)) start = scheme + 3;
        int slash = url.IndexOf('/', start);
        int question = url.IndexOf('?');
        _queryStart = question < 0 ? -1 : question + 1;
        int end = question < 0 ? url.Length : question;
        if (slash < 0 || slash > end)
        {
            _pathStart = _pathEnd = 0;
        }
        else
        {
            _pathStart = slash;
            _pathEnd = end;
        }
        _names = headers.Select(h => Encoding.UTF8.GetBytes(h.Name)).ToArray();
        _values = headers.Select(h => Encoding.UTF8.GetBytes(h.Value)).ToArray();
        _source = source is null ? [] : IPAddress.Parse(source).GetAddressBytes();
    }

    public static TestRequest Get(string url, params (string Name, string Value)[] headers) => new(url, headers: headers);

    public static TestRequest WithHost(string url, string host) => new(url, headers: [("Host", host)]);

    public ReadOnlySpan<byte> Method => _method;

    public ReadOnlySpan<byte> Url => _url;

    public ReadOnlySpan<byte> Path => _url.AsSpan(_pathStart, _pathEnd - _pathStart);

    public bool HasQuery => _queryStart >= 0;

    public ReadOnlySpan<byte> Query => _queryStart < 0 ? default : _url.AsSpan(_queryStart);

    public int HeaderFieldCount => _names.Length;

    public ReadOnlySpan<byte> HeaderFieldName(int index) => _names[index];

    public ReadOnlySpan<byte> HeaderFieldValue(int index) => _values[index];

    public ReadOnlySpan<byte> SourceAddress => _source;

    public override string ToString() =>
        $"{Encoding.UTF8.GetString(_method)} {Encoding.UTF8.GetString(_url)} " +
        string.Join(" ", _names.Select((n, i) => $"[{Encoding.UTF8.GetString(n)}: {Encoding.UTF8.GetString(_values[i])}]"));
}
