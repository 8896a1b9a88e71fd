using Appliance.Http;
using Appliance.Rules;

namespace Appliance.Forwarding.Http;

/// <summary>
/// What an HTTP connection needs only while a request/response exchange is under way: the two relays
/// (their buffers, pipes and body decoders), the parsed heads (a field table of
/// <see cref="HeadLimits.MaxHeaders"/> slots each), the edit arena and the rule evaluator's scratch,
/// about 11 KiB together. A session rents one from its shard when a request starts to arrive and gives
/// it back when the connection goes idle, so an idle keep-alive connection costs the session object and
/// its kernel socket, not this (HAProxy likewise keeps no buffers on idle connections).
/// </summary>
internal sealed class HttpExchangeState
{
    /// <summary>Client → server bytes.</summary>
    public HttpRelay Request { get; } = new();

    /// <summary>Server → client bytes.</summary>
    public HttpRelay Response { get; } = new();

    public RequestHead RequestHead { get; } = new();

    public ResponseHead ResponseHead { get; } = new();

    public HeadEdits Edits { get; } = new();

    /// <summary>Runs the frontend's and backend's http-request/http-response rules on the exchange's messages.</summary>
    public HttpRuleEvaluator Rules { get; } = new();

    /// <summary>Clears what one exchange left, before the state goes back to the pool (the session resets the relays, which hold pooled buffers).</summary>
    public void Reset()
    {
        RequestHead.Reset();
        ResponseHead.Reset();
        Edits.Clear();
    }
}
