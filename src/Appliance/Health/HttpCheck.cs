using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Appliance.Balancing;
using Appliance.Config.Model;

namespace Appliance.Health;

/// <summary>
/// <c>option httpchk</c>: connect (deadlines as for <see cref="TcpConnectCheck"/>, and the same
/// <c>L4CON</c>/<c>L4TOUT</c> verdicts), send the configured request, read the response within the
/// response deadline (<c>timeout check</c>, else what is left of <c>inter</c>), and test it against each
/// expectation in order. HAProxy's verdicts:
/// <list type="bullet">
/// <item><c>L7OK</c> — every expectation holds; the status is the code and its reason phrase the info.</item>
/// <item><c>L7STS</c> "Layer7 wrong status" — a status expectation failed; same code and info.</item>
/// <item><c>L7RSP</c> "Layer7 invalid response" — no valid response (empty, malformed, cut short, larger
/// than the 16 KiB check buffer), or a body expectation failed.</item>
/// <item><c>L7TOUT</c> "Layer7 timeout" — connected, but no verdict before the deadline.</item>
/// </list>
/// The connection is closed with a reset (HAProxy's default) unless <c>http-check connect linger</c>.
/// One instance per backend, shared by the concurrent checks of its servers: it holds only immutable state.
/// </summary>
public sealed class HttpCheck : IHealthCheck
{
    /// <summary>HAProxy reads a check response into one <c>tune.bufsize</c> buffer (16384 bytes) and judges what fits.</summary>
    public const int ResponseLimitBytes = 16384;

    private readonly TimeProvider _time;
    private readonly byte[] _request;
    private readonly HttpExpectationMatcher[] _matchers;
    private readonly bool _requestIsHead;

    public HttpCheck(HttpCheckConfig config, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        _time = time ?? TimeProvider.System;
        _request = HttpCheckRequestWriter.Write(config.Request);
        _matchers = config.Expectations.Select(e => new HttpExpectationMatcher(e)).ToArray();
        _requestIsHead = config.Request.Method == "HEAD";
    }

    public HttpCheckConfig Config { get; }

    public async Task<CheckOutcome> RunAsync(ServerState server, CheckTimeouts timeouts, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(server);
        // Without timeout check, the whole check must fit in the connect deadline, so it outlives the connect.
        using var connectDeadline = new CancellationTokenSource(timeouts.Connect, _time);
        var (socket, failure) = await CheckConnector.ConnectAsync(CheckEndpoint.For(server, Config), connectDeadline, stopping)
            .ConfigureAwait(false);
        if (socket is null) return failure;
        using (socket)
        {

            // Set before anything can fail, so every way out closes with a reset (see the class comment).
            if (!Config.Linger) socket.LingerState = new LingerOption(enable: true, seconds: 0);

            using var responseDeadline = timeouts.Response is { } response ? new CancellationTokenSource(response, _time) : null;
            var deadline = responseDeadline ?? connectDeadline;
            using var exchanging = CancellationTokenSource.CreateLinkedTokenSource(stopping, deadline.Token);
            try
            {
                var outcome = await ExchangeAsync(socket, CheckProxyHeader.For(server), exchanging.Token).ConfigureAwait(false);
                if (Config.Linger) CloseCleanly(socket);
                return outcome;
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                return new CheckOutcome(CheckStatus.L7Timeout);
            }
            catch (SocketException) when (deadline.IsCancellationRequested && !stopping.IsCancellationRequested)
            {
                return new CheckOutcome(CheckStatus.L7Timeout);
            }
            catch (SocketException e) when (!stopping.IsCancellationRequested)
            {
                return new CheckOutcome(CheckStatus.L7Response, e.Message);
            }
        }
    }

    /// <summary>A FIN instead of the default reset; the verdict is already made, so a peer that reset first changes nothing.</summary>
    private static void CloseCleanly(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
    }

    private async Task<CheckOutcome> ExchangeAsync(Socket socket, byte[] proxyHeader, CancellationToken cancel)
    {
        if (proxyHeader.Length > 0) await socket.SendAsync(proxyHeader, SocketFlags.None, cancel).ConfigureAwait(false);
        for (int sent = 0; sent < _request.Length;)
        {
            sent += await socket.SendAsync(_request.AsMemory(sent), SocketFlags.None, cancel).ConfigureAwait(false);
        }

        using var reader = new HttpCheckResponseReader(socket, ResponseLimitBytes, cancel);
        switch (await reader.ReadHeadAsync().ConfigureAwait(false))
        {
            case ResponseHeadRead.Empty:
                return new CheckOutcome(CheckStatus.L7Response, "empty response");
            case ResponseHeadRead.Invalid:
                return new CheckOutcome(CheckStatus.L7Response);
        }

        int status = reader.Head.StatusCode;
        var reasonBytes = reader.Head.Reason.Of(reader.HeadBytes);
        string? reason = reasonBytes.IsEmpty ? null : Encoding.Latin1.GetString(reasonBytes);
        bool bodyRead = false;
        foreach (var matcher in _matchers)
        {
            bool matched;
            if (matcher.IsAboutBody)
            {
                if (!bodyRead)
                {
                    if (!await reader.ReadBodyAsync(_requestIsHead).ConfigureAwait(false)) return new CheckOutcome(CheckStatus.L7Response);
                    bodyRead = true;
                }
                if (reader.Body.IsEmpty) return new CheckOutcome(CheckStatus.L7Response, "HTTP content check could not find a response body");
                try
                {
                    matched = matcher.MatchesBody(reader.Body);
                }
                catch (RegexMatchTimeoutException)
                {
                    return new CheckOutcome(CheckStatus.L7Response, "HTTP content check took too long");
                }
                if (matched == matcher.Expectation.Inverted)
                {
                    return new CheckOutcome(CheckStatus.L7Response,
                        matched ? "HTTP check matched unwanted content" : "HTTP content check did not match");
                }
                continue;
            }
            matched = matcher.MatchesStatus(status, reader.Head.StatusCodeText.Of(reader.HeadBytes));
            if (matched == matcher.Expectation.Inverted) return new CheckOutcome(CheckStatus.L7Status, reason, status);
        }
        return new CheckOutcome(CheckStatus.L7Ok, reason, status);
    }
}
