using Appliance.Balancing;
using Appliance.Config.Model;
using Appliance.Engine;
using Appliance.Http;
using Appliance.Logging;
using Appliance.Native;
using Appliance.Routing;
using Appliance.Rules;
using static Appliance.Native.LinuxConstants;

namespace Appliance.Forwarding.Http;

/// <summary>The proxy's own answers: rule replies, <c>use-service</c>, the stats page, error pages, and the lingering close after them.</summary>
internal sealed partial class HttpSession
{
    /// <summary>
    /// The statistics page (HAProxy checks the stats URI after the proxy's http-request rules). Rendered
    /// here, on this shard: its cost is bounded by the number of proxies and servers.
    /// </summary>
    private void AnswerStats(Stats.StatsPage page, int headLength)
    {
        if (_exchangeLog is not null) _exchangeLog.Local = true;
        // The request as the http-request rules left it (HAProxy checks the stats URI after them).
        IRequestView request = _rules.Request;
        if (page.NeedsBody(request))
        {
            // An admin form: answered once its (small, Content-Length framed) body is in the buffer.
            if (_requestFraming.Kind is not (BodyKind.None or BodyKind.ContentLength))
            {
                Answer(411, EndReason.BadRequest);
                return;
            }
            long length = _requestFraming.Kind == BodyKind.None ? 0 : _requestFraming.Length;
            if (length > Stats.StatsPage.MaxFormLength || headLength + length > BufferPool.BufferSize)
            {
                Answer(413, EndReason.BadRequest);
                return;
            }
            _localPage = page;
            _localBodyStart = headLength;
            _localBodyLength = (int)length;
            _phase = HttpSessionPhase.ReadingLocalBody;
            _shard.Timers.Schedule(_slot);
            ReadLocalBody();
            return;
        }
        byte[] response = page.Respond(request, default, out int status);
        Answer(status, EndReason.Completed, response);
    }

    /// <summary>Receives until the admin form's body is buffered behind its head, then answers it.</summary>
    private void ReadLocalBody()
    {
        while (true)
        {
            if (_request.Buffered >= _localBodyStart + _localBodyLength)
            {
                Stats.StatsPage page = _localPage!;
                _localPage = null;
                byte[] response = page.Respond(_rules.Request, _request.Data.Slice(_localBodyStart, _localBodyLength), out int status);
                Answer(status, EndReason.Completed, response);
                return;
            }
            if (!_request.SourceReadable) return;
            nint n = _request.Receive(_clientFd, _shard.Buffers);
            if (n > 0)
            {
                _clientActive = _shard.Now;
                continue;
            }
            if (n == -Errno.EAGAIN)
            {
                _request.SourceReadable = false;
                return;
            }
            if (n == -Errno.EINTR) continue;
            Close(EndReason.ClientAborted);
            return;
        }
    }


    /// <summary>A rule answers the request itself: deny, return, redirect, or the 500 of a rewrite that could not be made.</summary>
    private void AnswerRule(RuleOutcome outcome)
    {
        if (outcome.Verdict == RuleVerdict.Service)
        {
            AwaitService(outcome.Service!);
            return;
        }
        if (outcome.Verdict == RuleVerdict.Deny) _shard.Proxies.AddFrontend(_frontend.Index, ProxyCounters.FrontendDenied, 1);
        if (_exchangeLog is not null && outcome.Verdict != RuleVerdict.Deny) _exchangeLog.Local = true;
        AnswerRuleOutcome(outcome);
    }

    /// <summary>How long a <c>use-service</c> answer may take to render before the client gets a 503.</summary>
    private const long ServiceTimeoutMs = 30_000;

    /// <summary>
    /// Has <paramref name="service"/> render the answer on a thread-pool thread (a scrape of thousands
    /// of servers takes tens of milliseconds) and send it from this shard once ready. The shard goes on
    /// serving meanwhile; an answer for a connection that ended since is dropped (slot generation).
    /// </summary>
    private void AwaitService(Metrics.MetricsEndpoint service)
    {
        ReadOnlySpan<byte> query = _requestHead.HasQuery ? _requestHead.Query.Of(_request.Data) : default;
        bool headOnly = _requestMethod == RequestMethod.Head;
        Shard shard = _shard;
        HandlerSlot slot = _slot;
        uint generation = slot.Generation;
        bool admitted = service.TryRespondLater(query, headOnly, response => shard.Post(() =>
        {
            if (slot.Generation == generation && slot.Handler is HttpSession session) session.OnServiceAnswer(response);
        }));
        if (!admitted)
        {
            // Enough scrapes are already waiting for a render: refuse this one now rather than queue more work.
            Answer(503, EndReason.ResourceExhausted, Metrics.MetricsEndpoint.Busy);
            return;
        }
        _phase = HttpSessionPhase.AwaitingService;
        _lingerUntil = _shard.Now + ServiceTimeoutMs;
        _shard.Timers.Schedule(_slot);
    }

    /// <summary>The rendered <c>use-service</c> answer arrived on the shard thread.</summary>
    private void OnServiceAnswer(byte[] response)
    {
        if (_phase != HttpSessionPhase.AwaitingService) return;
        Answer(Metrics.MetricsEndpoint.StatusOf(response), EndReason.Completed, response, owned: response);
    }

    private void AnswerRuleOutcome(RuleOutcome outcome) => Answer(outcome.Status, outcome.Verdict switch
    {
        RuleVerdict.Deny => EndReason.Denied,
        // The edit list or a computed value could not hold the rewrite: a local limit, as HAProxy's strict mode treats it.
        RuleVerdict.RewriteFailed => EndReason.ResourceExhausted,
        _ => EndReason.Completed,
    }, outcome.Response);


    /// <summary>
    /// Sends one of the proxy's own answers — the routed backend's errorfile for the status, else the
    /// frontend's, else the built-in page — then keeps the connection or closes it (see below).
    /// </summary>
    private void Answer(int status, EndReason reason) =>
        Answer(status, reason, HttpRuleSet.FindErrorFile(status, _backend?.Rules, _frontend.Rules) ?? HttpErrorPages.For(status));

    /// <summary>
    /// Sends <paramref name="response"/> (a whole response). As HAProxy (2.2 on) does, the client
    /// connection is kept when the request was whole in the buffer and the client keeps alive: the
    /// answer's head is then rewritten without its <c>connection: close</c>, and the next request is read
    /// after it. Otherwise the answer is sent as it is and the connection closes (after a short
    /// lingering read). An answer larger than a buffer is sent from <paramref name="owned"/> when the
    /// caller hands its array over, else from a copy.
    /// </summary>
    private void Answer(int status, EndReason reason, ReadOnlySpan<byte> response, byte[]? owned = null)
    {
        if (_exchange is null) AttachExchangeState();
        if (_exchangeLog is not null)
        {
            // An answer before any request head (408, 400, 431) is about a request that could not be read.
            if (!_exchangeLog.Pending) _exchangeLog.BeginBadRequest(_request.Buffered > 0 ? _requestStartedAt : _shard.Now);
            _exchangeLog.Answered(status, LogPhase());
        }
        _endReason = reason;
        ReleaseServer(reusable: false);
        CountResponse(status);
        _shard.Counters.HttpProxyAnswers++;
        _response.Reset(_shard.Buffers);
        _response.TargetWritable = true;
        _answerSent = false;
        _answerKeepsAlive = RequestAllowsKeepAlive(reason) && TryQueueKeptAliveAnswer(response, owned) && ConsumeAnsweredRequest();
        if (_answerKeepsAlive)
        {
            // The answer no longer needs the request's output buffer (a redirect is composed there).
            _request.KeepSentOutput = false;
            _request.ReleaseOutput(_shard.Buffers);
            _lingerUntil = _shard.Now + (_frontend.ClientTimeoutMs > 0 ? _frontend.ClientTimeoutMs : LingerMs);
        }
        else
        {
            _request.DiscardInput();
            if (response.Length > BufferPool.BufferSize)
            {
                // Larger than a buffer (a metrics scrape): sent from its own array, off the buffer pool.
                _largeAnswer = owned ?? response.ToArray();
                _largeAnswerSent = 0;
            }
            else
            {
                _response.QueueOutput(response, _shard.Buffers);
            }
            _lingerUntil = _shard.Now + LingerMs;
        }
        _phase = HttpSessionPhase.Answering;
        _shard.Timers.Schedule(_slot);
        FlushAnswer();
    }

    /// <summary>
    /// Whether the request side allows keeping the connection after an answer: a request head was read
    /// and asks for keep-alive, and the answer is not about a request that could not be read or arrive
    /// (400, 408, 413, 431…: HAProxy closes after those too).
    /// </summary>
    private bool RequestAllowsKeepAlive(EndReason reason) =>
        _requestHeadParsed && _keepClientAlive && !_shard.Draining
        && reason is not (EndReason.BadRequest or EndReason.ClientTimeout or EndReason.ClientAborted);

    /// <summary>
    /// Queues <paramref name="response"/> with its head rewritten for a kept connection (no
    /// <c>Connection: close</c>; <c>Connection: keep-alive</c> for an HTTP/1.0 client) and its body as its
    /// own framing says (none to a HEAD request). False, with nothing queued, when the answer cannot be
    /// framed on a kept connection (no Content-Length, or a body that does not match it).
    /// </summary>
    private bool TryQueueKeptAliveAnswer(ReadOnlySpan<byte> response, byte[]? owned)
    {
        ResponseHead head = _responseHead;
        head.Reset();
        HeadParseResult parsed = Http1HeadParser.ParseResponse(response, head);
        if (!parsed.IsComplete || head.IsInterim) return false;
        BodyFraming framing = BodyFraming.ForResponse(head, _requestMethod);
        int bodyLength = framing.Kind switch
        {
            BodyKind.None => 0,
            BodyKind.ContentLength when framing.Length == response.Length - parsed.Consumed => (int)framing.Length,
            _ => -1,
        };
        if (bodyLength < 0) return false;
        _edits.Clear();
        if (_requestHead.Version == Http1Version.Http10) _edits.TrySet("Connection"u8, "keep-alive"u8);
        Span<byte> output = _response.BeginOutput(_shard.Buffers);
        if (!HeadWriter.TryWriteResponse(response, head, HopByHopFields.Forwarding, _edits, output, out int written))
        {
            _response.ReleaseOutput(_shard.Buffers);
            return false;
        }
        ReadOnlySpan<byte> body = response.Slice(parsed.Consumed, bodyLength);
        if (body.Length <= output.Length - written)
        {
            body.CopyTo(output[written..]);
            _response.CommitOutput(written + body.Length);
        }
        else
        {
            // A large body (a metrics scrape) goes from its own array after the head.
            _response.CommitOutput(written);
            _largeAnswer = owned ?? response.ToArray();
            _largeAnswerSent = parsed.Consumed;
        }
        head.Reset();
        return true;
    }

    /// <summary>
    /// Consumes the answered request from the input so the next one can be read: true when it was whole
    /// (head and body received); false when part of it is still to come, so the connection must close.
    /// </summary>
    private bool ConsumeAnsweredRequest()
    {
        bool whole = _unconsumedHeadLength > 0
            ? _request.SkipMessage(_unconsumedHeadLength, _requestFraming)
            : _request.BodyDone;
        _unconsumedHeadLength = 0;
        if (whole) return true;
        // Not keepable after all: the queued rewrite is dropped; the caller sends the answer as it is.
        _response.ReleaseOutput(_shard.Buffers);
        _largeAnswer = null;
        return false;
    }

    /// <summary>
    /// Sends what is left of the answer. Then, on a kept connection, the next request is read; otherwise
    /// the write side is shut and whatever the client still sends is read and dropped until it closes
    /// or the lingering time passes, so closing does not turn into a reset that could destroy the
    /// answer in flight.
    /// </summary>
    private void FlushAnswer()
    {
        if (!_answerSent)
        {
            if (_response.HasPendingOutput)
            {
                RelayStatus status = _response.Pump(-1, _clientFd, _shard.Buffers, out _);
                if (status == RelayStatus.TargetFailed)
                {
                    Close(_endReason);
                    return;
                }
                if (_response.HasPendingOutput) return;
            }
            if (_largeAnswer is { } large)
            {
                while (_largeAnswerSent < large.Length)
                {
                    nint sent = TcpSocket.SendBytes(_clientFd, large.AsSpan(_largeAnswerSent));
                    if (sent > 0)
                    {
                        _largeAnswerSent += (int)sent;
                        _response.CountSent(sent);
                        _largeAnswerBytes += sent;
                        if (!_answerKeepsAlive) _lingerUntil = _shard.Now + LingerMs;
                        continue;
                    }
                    if (sent == -Errno.EAGAIN) return;
                    if (sent == -Errno.EINTR) continue;
                    Close(_endReason);
                    return;
                }
                _largeAnswer = null;
            }
            _answerSent = true;
            if (_answerKeepsAlive)
            {
                EndKeptAliveAnswer();
                return;
            }
            Libc.Shutdown(_clientFd, SHUT_WR);
        }
        Span<byte> sink = stackalloc byte[512];
        while (true)
        {
            nint n = TcpSocket.Receive(_clientFd, sink);
            if (n > 0) continue;
            if (n == -Errno.EAGAIN) return;
            Close(_endReason);
            return;
        }
    }

    /// <summary>A kept-alive answer was sent: its log line and counts, then the connection waits for the next request.</summary>
    private void EndKeptAliveAnswer()
    {
        if (_exchangeLog is { Pending: true } record) WriteHttpLog(_endReason, record.AnswerPhase);
        _shard.CountExchangeEnd(_endReason);
        _endReason = EndReason.None;
        _answerKeepsAlive = false;
        _response.Reset(_shard.Buffers);
        _response.TargetWritable = true;
        AwaitNextRequest();
    }
}
