namespace Appliance.Http;

/// <summary>
/// The outcome of one head parse call: need more bytes, complete (with the head's length), or an error
/// with the status to answer and a reason for logs.
/// </summary>
public readonly struct HeadParseResult
{
    private HeadParseResult(HeadParseStatus status, int consumed, MessageError error, int statusCode)
    {
        Status = status;
        Consumed = consumed;
        Error = error;
        StatusCode = statusCode;
    }

    public static HeadParseResult NeedMoreBytes => default;

    public HeadParseStatus Status { get; }

    /// <summary>
    /// When complete: the bytes of the head, final CRLF (and skipped leading empty lines) included. What
    /// follows in the buffer is body or the next pipelined message.
    /// </summary>
    public int Consumed { get; }

    public MessageError Error { get; }

    /// <summary>On error: 400/414/431/501/505 for a request; 502 for a response (the client sees a bad gateway).</summary>
    public int StatusCode { get; }

    public string Reason => Error.Describe();

    public bool IsComplete => Status == HeadParseStatus.Complete;

    public bool IsError => Status == HeadParseStatus.Error;

    internal static HeadParseResult Complete(int consumed) => new(HeadParseStatus.Complete, consumed, MessageError.None, 0);

    internal static HeadParseResult Failure(MessageError error, int statusCode) => new(HeadParseStatus.Error, 0, error, statusCode);

    public override string ToString() => Status switch
    {
        HeadParseStatus.Complete => $"Complete({Consumed})",
        HeadParseStatus.Error => $"Error({StatusCode}, {Error})",
        _ => "NeedMoreBytes",
    };
}
