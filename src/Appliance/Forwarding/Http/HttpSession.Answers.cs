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
    /// frontend's, else the built-in page — then closes (after a short lingering read).
    /// </summary>
    private void Answer(int status, EndReason reason) =>
        Answer(status, reason, HttpRuleSet.FindErrorFile(status, _backend?.Rules, _frontend.Rules) ?? HttpErrorPages.For(status));

    /// <summary>
    /// Sends <paramref name="response"/> (a whole response), then closes as above. An answer larger than
    /// a buffer is sent from <paramref name="owned"/> when the caller hands its array over, else from a copy.
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
        _request.DiscardInput();
        _response.Reset(_shard.Buffers);
        _response.TargetWritable = true;
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
        _phase = HttpSessionPhase.Answering;
        _lingerUntil = _shard.Now + LingerMs;
        _shard.Timers.Schedule(_slot);
        FlushAnswer();
    }

    private void FlushAnswer()
    {
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
                    _lingerUntil = _shard.Now + LingerMs;
                    continue;
                }
                if (sent == -Errno.EAGAIN) return;
                if (sent == -Errno.EINTR) continue;
                Close(_endReason);
                return;
            }
            _largeAnswer = null;
            Libc.Shutdown(_clientFd, SHUT_WR);
        }
        if (_response.HasPendingOutput)
        {
            RelayStatus status = _response.Pump(-1, _clientFd, _shard.Buffers, out _);
            if (status == RelayStatus.TargetFailed)
            {
                Close(_endReason);
                return;
            }
            if (_response.HasPendingOutput) return;
            // Answer sent: say we are done writing, then read and drop what the client still sends,
            // so closing does not turn into a reset that could destroy the answer in flight.
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
}
