using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Appliance.IntegrationTests.Reload;

/// <summary>
/// Continuous client traffic for reload tests, every response verified: kept-alive HTTP clients
/// (<see cref="HttpClient"/>, as real clients retry a request a server closed an idle connection under),
/// connection-per-request HTTP clients and connection-per-request TCP clients (name backends), on dedicated
/// threads. Counts successes and failures by kind and keeps a sample of failure messages.
/// </summary>
public sealed class TrafficLoad : IDisposable
{
    private const int MaxSamples = 20;

    private readonly CancellationTokenSource _stop = new();
    private readonly List<Thread> _threads = [];
    private readonly List<Task> _tasks = [];
    private readonly ConcurrentQueue<string> _samples = new();
    private long _keepAliveOk;
    private long _perRequestOk;
    private long _tcpOk;
    private long _failed;
    private long _refused;
    private long _connectionClose;

    public long KeepAliveOk => Interlocked.Read(ref _keepAliveOk);

    public long PerRequestOk => Interlocked.Read(ref _perRequestOk);

    public long TcpOk => Interlocked.Read(ref _tcpOk);

    public long Ok => KeepAliveOk + PerRequestOk + TcpOk;

    /// <summary>Requests that got no correct answer (reset, early close, timeout, wrong answer), refusals included.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Connection attempts refused (RST to the SYN): what a closed listening socket causes.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Kept-alive responses that carried <c>Connection: close</c> (a draining generation's).</summary>
    public long ConnectionCloseAnswers => Interlocked.Read(ref _connectionClose);

    public IReadOnlyList<string> FailureSamples => [.. _samples];

    public string Summary =>
        $"ok: {KeepAliveOk} kept-alive HTTP, {PerRequestOk} per-request HTTP, {TcpOk} per-request TCP; " +
        $"failed {Failed} (refused {Refused}); Connection: close answers {ConnectionCloseAnswers}" +
        (Failed > 0 ? "\n  " + string.Join("\n  ", FailureSamples) : "");

    /// <summary>Kept-alive HTTP clients, one connection each; a 200 whose body and X-Backend name one of <paramref name="names"/>.</summary>
    public void KeepAliveHttp(int port, int clients, IReadOnlyCollection<string> names)
    {
        for (int i = 0; i < clients; i++)
        {
            _tasks.Add(Task.Run(async () =>
            {
                using var handler = new SocketsHttpHandler
                {
                    MaxConnectionsPerServer = 1,
                    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
                    ConnectTimeout = TimeSpan.FromSeconds(10),
                };
                using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
                var uri = new Uri($"http://127.0.0.1:{port}/");
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        using var response = await client.GetAsync(uri);
                        string body = await response.Content.ReadAsStringAsync();
                        string? header = response.Headers.TryGetValues("X-Backend", out var values) ? values.First() : null;
                        if (response.StatusCode == HttpStatusCode.OK && names.Contains(body) && header == body)
                        {
                            Interlocked.Increment(ref _keepAliveOk);
                            if (response.Headers.ConnectionClose == true) Interlocked.Increment(ref _connectionClose);
                        }
                        else
                        {
                            Fail($"kept-alive: {(int)response.StatusCode} body '{body}' X-Backend '{header}'");
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                    {
                        Fail($"kept-alive: {e.GetType().Name}: {e.Message} {e.InnerException?.Message}", e);
                    }
                }
            }));
        }
    }

    /// <summary>HTTP clients opening one connection per request (<c>Connection: close</c>).</summary>
    public void PerRequestHttp(int port, int threads, IReadOnlyCollection<string> names) =>
        Loop(threads, "per-request HTTP", () =>
        {
            using var connection = LoopbackConnection.Open(port);
            connection.SendText(HttpReply.GetRequest(close: true));
            var reply = HttpReply.Read(connection);
            if (reply.Status == 200 && names.Contains(reply.Body) && reply.Headers.GetValueOrDefault("X-Backend") == reply.Body)
            {
                Interlocked.Increment(ref _perRequestOk);
            }
            else
            {
                Fail($"per-request HTTP: {reply.Status} body '{reply.Body}'");
            }
        });

    /// <summary>TCP clients reading the name a <c>name</c> backend announces, one connection each.</summary>
    public void PerRequestTcp(int port, int threads, string name) =>
        Loop(threads, "per-request TCP", () =>
        {
            string? line = BackendNameProbe.Fetch(port);
            if (line == name) Interlocked.Increment(ref _tcpOk);
            else Fail($"per-request TCP: got '{line}'");
        });

    /// <summary>Stops every client and waits for them (bounded).</summary>
    public void Stop()
    {
        _stop.Cancel();
        foreach (var thread in _threads) thread.Join(TimeSpan.FromSeconds(30));
        Task.WaitAll([.. _tasks], TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private void Loop(int threads, string kind, Action request)
    {
        for (int i = 0; i < threads; i++)
        {
            var thread = new Thread(() =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    try
                    {
                        request();
                    }
                    catch (Exception e) when (e is SocketException or IOException or TimeoutException or FormatException)
                    {
                        Fail($"{kind}: {e.GetType().Name}: {e.Message}", e);
                    }
                }
            })
            { IsBackground = true, Name = kind };
            _threads.Add(thread);
            thread.Start();
        }
    }

    private void Fail(string message, Exception? e = null)
    {
        if (_stop.IsCancellationRequested && e is TaskCanceledException) return;
        Interlocked.Increment(ref _failed);
        if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused }
            || e?.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            Interlocked.Increment(ref _refused);
        }
        if (_samples.Count < MaxSamples) _samples.Enqueue($"{DateTime.Now:HH:mm:ss.fff} {message}");
    }
}
