namespace Appliance.Http;

/// <summary>
/// A parsed response head (see <see cref="Http1HeadParser.ParseResponse"/>): status code and reason,
/// plus everything in <see cref="MessageHead"/>. Reused per backend connection; <see cref="Reset"/>
/// before each response (an interim 1xx response is a head of its own).
/// </summary>
public sealed class ResponseHead : MessageHead
{
    public ResponseHead() : this(HeadLimits.Default)
    {
    }

    public ResponseHead(HeadLimits limits) : base(limits)
    {
    }

    /// <summary>The status code, 100 to 999.</summary>
    public int StatusCode { get; internal set; }

    /// <summary>The three status digits as sent.</summary>
    public ByteRange StatusCodeText { get; internal set; }

    /// <summary>The reason phrase (may be empty).</summary>
    public ByteRange Reason { get; internal set; }

    public bool IsInterim => StatusCode is >= 100 and < 200;

    public override void Reset()
    {
        base.Reset();
        StatusCode = 0;
        StatusCodeText = default;
        Reason = default;
    }
}
