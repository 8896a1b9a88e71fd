using System.Text;

namespace Appliance.Http;

/// <summary>
/// A parsed request head (see <see cref="Http1HeadParser.ParseRequest"/>): method, target split into
/// its parts, Host, Expect, plus everything in <see cref="MessageHead"/>. Reused per connection;
/// <see cref="Reset"/> before each new request.
/// </summary>
public sealed class RequestHead : MessageHead
{
    private int _hostCount;
    private bool _expectContinue;

    public RequestHead() : this(HeadLimits.Default)
    {
    }

    public RequestHead(HeadLimits limits) : base(limits)
    {
    }

    public RequestMethod Method { get; internal set; }

    /// <summary>The method as sent (always set; the only name for <see cref="RequestMethod.Other"/>).</summary>
    public ByteRange MethodToken { get; internal set; }

    /// <summary>The whole request-target as sent.</summary>
    public ByteRange Target { get; internal set; }

    public RequestTargetForm TargetForm { get; internal set; }

    /// <summary>Absolute-form only: the scheme (<c>http</c>).</summary>
    public ByteRange Scheme { get; internal set; }

    /// <summary>Absolute-form: the authority of the URI; authority-form: the whole target; otherwise empty.</summary>
    public ByteRange Authority { get; internal set; }

    /// <summary>
    /// Origin- and absolute-form: the path, up to '?'. Empty for absolute-form without a path
    /// (<c>http://h</c>, meaning <c>/</c>); then <see cref="ByteRange.Start"/> is where the path would be.
    /// </summary>
    public ByteRange Path { get; internal set; }

    /// <summary>The query without its '?'; see <see cref="HasQuery"/> to tell "no query" from "empty query".</summary>
    public ByteRange Query { get; internal set; }

    public bool HasQuery { get; internal set; }

    /// <summary>The value of the Host field (empty when absent; see <see cref="HasHost"/>).</summary>
    public ByteRange Host { get; private set; }

    public bool HasHost => _hostCount > 0;

    /// <summary><c>Expect: 100-continue</c> in an HTTP/1.1 request (HTTP/1.0 requests must have it ignored, RFC 9110 §10.1.1).</summary>
    public bool ExpectContinue => _expectContinue && Version == Http1Version.Http11;

    /// <summary>An HTTP/1.1 request with an Upgrade field that Connection lists (RFC 9110 §7.8).</summary>
    public bool IsUpgradeRequest =>
        HasUpgrade && Version == Http1Version.Http11 && (Connection & ConnectionOptions.Upgrade) != 0;

    internal int HostCount => _hostCount;

    public override void Reset()
    {
        base.Reset();
        _hostCount = 0;
        _expectContinue = false;
        Method = RequestMethod.Other;
        MethodToken = default;
        Target = default;
        TargetForm = RequestTargetForm.Origin;
        Scheme = default;
        Authority = default;
        Path = default;
        Query = default;
        HasQuery = false;
        Host = default;
    }

    private protected override MessageError AbsorbField(KnownHeader known, ReadOnlySpan<byte> value, ByteRange valueRange)
    {
        switch (known)
        {
            case KnownHeader.Host:
                // RFC 9112 §3.2: more than one Host line, or an invalid value, is a 400.
                if (++_hostCount > 1) return MessageError.MultipleHost;
                if (value.ContainsAnyExcept(HttpCharacterClasses.Authority)) return MessageError.InvalidHost;
                Host = valueRange;
                return MessageError.None;
            case KnownHeader.Expect:
                if (Ascii.EqualsIgnoreCase(value, "100-continue"u8)) _expectContinue = true;
                return MessageError.None;
            default:
                return MessageError.None;
        }
    }
}
