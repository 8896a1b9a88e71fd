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

/// <summary>The access log lines of the session (httplog, tcplog, log-format).</summary>
internal sealed partial class HttpSession
{
    /// <summary>The request line of the head just parsed (for the access log), without its line end.</summary>
    private ReadOnlySpan<byte> RequestLine(int headLength)
    {
        if (_exchangeLog is null) return default;
        ReadOnlySpan<byte> head = _request.Data[_requestHead.MethodToken.Start..headLength];
        int end = head.IndexOfAny((byte)'\r', (byte)'\n');
        return end < 0 ? head : head[..end];
    }


    /// <summary>
    /// The connection ends: the request in progress is logged; so is, unless <c>option dontlognull</c>,
    /// a connection that ends without a complete request (HAProxy logs it as <c>&lt;BADREQ&gt;</c>).
    /// </summary>
    private void LogAtClose(byte phase)
    {
        HttpExchangeLog record = _exchangeLog!;
        if (_log!.Option == LogOption.Tcp)
        {
            WriteTcpLog(phase);
            return;
        }
        if (!record.Pending)
        {
            bool partial = RequestBuffered > 0;
            if (_requestsOnConnection > 0 && !partial) return;
            if (!partial && _log!.DontLogNull) return;
            record.BeginBadRequest(partial ? _requestStartedAt : _idleSince);
        }
        WriteHttpLog(_endReason, phase);
    }

    /// <summary>The termination-state phase letter of where the session is now.</summary>
    private byte LogPhase() => _phase switch
    {
        HttpSessionPhase.AwaitingRequest => TerminationState.Request,
        HttpSessionPhase.Queued => TerminationState.Queue,
        HttpSessionPhase.Connecting or HttpSessionPhase.WaitingRetry => TerminationState.Connect,
        HttpSessionPhase.Exchanging => _requestSent && !_responseHeadDone ? TerminationState.Headers : TerminationState.Data,
        HttpSessionPhase.Tunnel => TerminationState.Data,
        // No answer decided: a lingering close of an idle connection (CloseIdle), which waited for a request.
        HttpSessionPhase.Answering => _exchangeLog is { AnswerPhase: > 0 } log ? log.AnswerPhase : TerminationState.Request,
        HttpSessionPhase.ReadingLocalBody => TerminationState.Request,
        _ => TerminationState.Request,
    };

    /// <summary>Writes the httplog line of the current request (shard thread; no allocation).</summary>
    private void WriteHttpLog(EndReason reason, byte phase)
    {
        HttpExchangeLog record = _exchangeLog!;
        record.Done();
        if (_log!.Option != LogOption.Http) return;
        long now = _shard.Now;
        long backendConnections = _backend?.State.ActiveConnections ?? 0;
        (byte cause, byte endPhase) = TerminationState.Of(reason, phase, record.Local);
        var entry = new Logging.HttpLogEntry
        {
            Client = _peerAddress,
            RequestStart = record.RequestStart,
            Backend = _backend?.Name,
            Server = record.ConnectStart >= 0 ? _server?.Name : null,
            TR = record.HeadAt >= 0 ? record.HeadAt - record.RequestStart : -1,
            Tw = record.Waited,
            Tc = record.ConnectedAt >= 0 ? record.ConnectedAt - record.ConnectStart : -1,
            Tr = record.ResponseAt >= 0 && record.ConnectedAt >= 0 ? record.ResponseAt - record.ConnectedAt : -1,
            Ta = now - record.RequestStart,
            Status = record.Status,
            Bytes = TakeBytesSentToClient(),
            Cause = cause,
            Phase = endPhase,
            BackendConnections = backendConnections,
            ServerConnections = record.ConnectStart >= 0 && _server is not null ? _server.ActiveConnections : 0,
            Retries = _backend is not null && record.ConnectStart >= 0 ? Math.Max(0, _backend.Retries - _retriesLeft) : 0,
            Redispatched = _excluded is not null,
            RequestLine = record.RequestLine,
        };
        _log.WriteHttp(_shard, _frontend.Index, _clientFd, entry);
    }

    /// <summary><c>option tcplog</c> on an HTTP frontend: one line per connection, with the last request's server and timers.</summary>
    private void WriteTcpLog(byte phase)
    {
        HttpExchangeLog record = _exchangeLog!;
        if (_requestsOnConnection == 0 && RequestBuffered == 0 && _log!.DontLogNull) return;
        (byte cause, byte endPhase) = TerminationState.Of(_endReason, phase, record.Local);
        var entry = new TcpLogEntry
        {
            Client = _peerAddress,
            Accepted = _acceptedAt,
            Backend = _backend?.Name,
            Server = record.ConnectStart >= 0 ? _server?.Name : null,
            Tw = record.Waited,
            Tc = record.ConnectedAt >= 0 ? record.ConnectedAt - record.ConnectStart : -1,
            Tt = _shard.Now - _acceptedAt,
            Bytes = TakeBytesSentToClient(),
            Cause = cause,
            Phase = endPhase,
            ServerConnections = record.ConnectStart >= 0 && _server is not null ? _server.ActiveConnections : 0,
            Retries = _backend is not null && record.ConnectStart >= 0 ? Math.Max(0, _backend.Retries - _retriesLeft) : 0,
            Redispatched = _excluded is not null,
            RequestLine = record.RequestLine,
        };
        _log!.WriteTcp(_shard, _frontend.Index, _clientFd, entry);
    }

    /// <summary>Bytes sent to the client since the last log line (none are counted while the exchange state is given back).</summary>
    private long TakeBytesSentToClient()
    {
        long bytes = (_exchange is null ? 0 : _response.TakeSentBytes()) + _largeAnswerBytes;
        _largeAnswerBytes = 0;
        return bytes;
    }
}
