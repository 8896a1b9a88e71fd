using Appliance.Http;
using Appliance.Routing;

namespace Appliance.Rules;

/// <summary>
/// The request as <c>http-request</c> rules have left it (see <see cref="EditedHeaderFields"/>), with
/// <c>set-path</c> applied to <see cref="Path"/> and <see cref="Url"/>: conditions, values and routing
/// after the rules read it. Delegates to the received request while nothing is edited. One per
/// connection; valid between <see cref="Begin"/> and the next message.
/// </summary>
internal sealed class EditedRequestView : EditedHeaderFields, IRequestView
{
    private IRequestView _received = null!;
    /// <summary>The request-target with the replaced path, built when first read after a set-path.</summary>
    private byte[] _url = new byte[256];
    private int _urlLength = -1;

    public void Begin(IRequestView received, HeadEdits edits)
    {
        _received = received;
        _urlLength = -1;
        BeginMessage(edits);
    }

    /// <summary>
    /// Asterisk- and authority-form targets have no path for <c>set-path</c> to replace (the head writer
    /// leaves them as received).
    /// </summary>
    public bool HasPath
    {
        get
        {
            ReadOnlySpan<byte> url = _received.Url;
            return !url.IsEmpty && (url[0] == '/' || url.IndexOf("://"u8) >= 0);
        }
    }

    /// <summary>Called after a rule replaced the path, so the next <see cref="Url"/> read rebuilds it.</summary>
    public void PathReplaced() => _urlLength = -1;

    public ReadOnlySpan<byte> Method => _received.Method;

    public ReadOnlySpan<byte> Url
    {
        get
        {
            if (!Edits.HasPath) return _received.Url;
            if (_urlLength < 0) BuildUrl();
            return _url.AsSpan(0, _urlLength);
        }
    }

    public ReadOnlySpan<byte> Path => Edits.HasPath ? Edits.Path : _received.Path;

    public bool HasQuery => _received.HasQuery;

    public ReadOnlySpan<byte> Query => _received.Query;

    public int HeaderFieldCount => FieldCount;

    public ReadOnlySpan<byte> HeaderFieldName(int index) => FieldName(index);

    public ReadOnlySpan<byte> HeaderFieldValue(int index) => FieldValue(index);

    public ReadOnlySpan<byte> SourceAddress => _received.SourceAddress;

    protected override int ReceivedFieldCount => _received.HeaderFieldCount;

    protected override ReadOnlySpan<byte> ReceivedFieldName(int index) => _received.HeaderFieldName(index);

    protected override ReadOnlySpan<byte> ReceivedFieldValue(int index) => _received.HeaderFieldValue(index);

    /// <summary>What precedes the path (<c>scheme://authority</c> of an absolute-form target), the new path, the query.</summary>
    private void BuildUrl()
    {
        ReadOnlySpan<byte> url = _received.Url;
        int tail = _received.Path.Length + (_received.HasQuery ? _received.Query.Length + 1 : 0);
        ReadOnlySpan<byte> prefix = url[..(url.Length - tail)];
        ReadOnlySpan<byte> path = Edits.Path;
        int length = prefix.Length + path.Length + (_received.HasQuery ? _received.Query.Length + 1 : 0);
        if (_url.Length < length) _url = new byte[Math.Max(length, _url.Length * 2)];
        Span<byte> target = _url;
        prefix.CopyTo(target);
        path.CopyTo(target[prefix.Length..]);
        int position = prefix.Length + path.Length;
        if (_received.HasQuery)
        {
            target[position++] = (byte)'?';
            _received.Query.CopyTo(target[position..]);
        }
        _urlLength = length;
    }
}
