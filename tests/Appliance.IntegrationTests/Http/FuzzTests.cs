using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;

namespace Appliance.IntegrationTests.Http;

/// <summary>
/// Raw-socket fuzzing of the request parser and the connection state machine: 10,000 seeded mutations of valid
/// requests (<see cref="RequestMutator"/>), one connection each, 16 connections at a time. Most clients half-close
/// after sending (so a truncated request ends at once); one in a hundred keeps its side open, so the timeouts
/// have to end it. Contract: the proxy never crashes; every connection is closed by the proxy within its
/// timeouts (<c>timeout http-request 1s</c>, <c>timeout http-keep-alive 1s</c>, <c>timeout client 2s</c>,
/// <c>timeout server 2s</c>, so 6 s is a hang); whatever it sent before closing is zero or more complete,
/// parseable HTTP/1.x responses; and it still serves a valid request afterwards. The run is bounded at 60 s.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 9112;
    private const int Mutations = 10_000;
    private const int ConcurrentConnections = 16;

    /// <summary>One in this many clients keeps its side open after sending.</summary>
    private const int KeepOpenOneIn = 100;

    private static readonly TimeSpan ConnectionDeadline = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan RunBudget = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TenThousandMutatedRequestsNeitherCrashNorHangNorGetAnUnparseableAnswer()
    {
        using var origin = BackendProcess.Start(BackendMode.Http, "app1");
        int port = FreePort.Next();
        using var scratch = new ScratchDirectory();
        using var proxy = ApplianceProcess.Start(scratch, $"""
            {ConfigTemplates.Global(nbthread: 2)}
            defaults
                mode http
                timeout connect 1s
                timeout client 2s
                timeout server 2s
                timeout http-request 1s
                timeout http-keep-alive 1s

            frontend fe
                bind 127.0.0.1:{port}
                default_backend be

            backend be
                server app1 {origin.Address}
            """, output);

        var failures = new ConcurrentQueue<string>();
        var outcomes = new ConcurrentDictionary<string, int>();
        int next = -1;
        int done = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, ConcurrentConnections).Select(_ => Task.Factory.StartNew(() =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < Mutations && clock.Elapsed < RunBudget && failures.Count < 20)
            {
                var outcome = RunOne(port, index, failures);
                outcomes.AddOrUpdate(outcome, 1, (_, count) => count + 1);
                Interlocked.Increment(ref done);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(workers);
        clock.Stop();

        output.WriteLine($"{done} mutations in {clock.Elapsed.TotalSeconds:0.0} s; outcomes: " +
                         string.Join(", ", outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}")));
        Assert.False(proxy.HasExited, $"the proxy died during the fuzz run.\n{proxy.Diagnostics()}");
        Assert.True(failures.IsEmpty, $"{failures.Count} failing mutations (seed {Seed}), first ones:\n{string.Join("\n\n", failures.Take(10))}");
        Assert.True(done == Mutations, $"only {done} of {Mutations} mutations within {RunBudget.TotalSeconds:0} s");
        var after = HttpExchange.Send(port, HttpRequests.Get("/after-fuzz", close: true));
        Assert.Equal((200, "app1"), (after.Status, after.BodyText));
    }

    /// <summary>Sends mutation <paramref name="index"/> on its own connection; returns a short outcome label.</summary>
    private static string RunOne(int port, int index, ConcurrentQueue<string> failures)
    {
        var request = RequestMutator.Mutate(Seed, index);
        bool keepOpen = index % KeepOpenOneIn == 0;
        string Case() => $"mutation {index}{(keepOpen ? " (client kept its side open)" : "")}: {RequestMutator.Describe(request)}";
        try
        {
            using var connection = LoopbackConnection.Open(port, ConnectionDeadline);
            try
            {
                connection.Send(request);
                if (!keepOpen)
                {
                    connection.ShutdownSend();
                }
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
            {
                // The proxy already refused and closed; what it sent is still checked below.
            }

            var (answer, closed) = HttpExchange.ReadUntilClosed(connection, ConnectionDeadline);
            if (!closed)
            {
                failures.Enqueue($"{Case()}\n  still open after {ConnectionDeadline.TotalSeconds:0} s, received: {RequestMutator.Describe(answer)}");
                return "hung";
            }

            if (ResponseStreamValidator.Validate(answer, out int responses) is { } error)
            {
                failures.Enqueue($"{Case()}\n  {error}\n  received: {RequestMutator.Describe(answer)}");
                return "unparseable";
            }

            return responses == 0 ? "closed without answer" : $"status {System.Text.Encoding.ASCII.GetString(answer, 9, 3)}";
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            failures.Enqueue($"{Case()}\n  {e.GetType().Name}: {e.Message}");
            return "socket error";
        }
    }
}
