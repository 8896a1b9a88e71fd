using System.Net.Sockets;
using System.Text;

namespace Appliance.IntegrationTests.HarnessTests;

/// <summary>The runtime API client and parsers, against a canned HAProxy-style Unix socket server.</summary>
public sealed class RuntimeApiHarnessTests
{
    private const string InfoAnswer =
        "Name: appliance\nVersion: 0.1.0\nPid: 4242\nNbthread: 2\nCurrConns: 3\nCumConns: 1200\nSplicedBytes: 20971520\n\n";

    private const string ActivityAnswer =
        "thread_id: 0 (1..2)\naccepted: 200 [ 103 97 ]\nloops: 5000 [ 2500 2500 ]\nuptime_now: 12.5\nconnects: 7\n";

    [Fact]
    public async Task ShowInfoSendsOneLineAndParsesKeyValueFields()
    {
        using var scratch = new ScratchDirectory();
        var server = AnswerOnce(scratch.StatsSocketPath, InfoAnswer);

        var info = new RuntimeApiClient(scratch.StatsSocketPath).ShowInfo();

        Assert.Equal("show info\n", await server);
        Assert.Equal(2, info.GetInt64("Nbthread"));
        Assert.Equal(3, info.GetInt64("CurrConns"));
        Assert.Equal(1200, info.GetInt64("CumConns"));
        Assert.Equal(20971520, info.GetInt64("SplicedBytes"));
        Assert.Equal(4242, info.GetInt64("Pid"));
        Assert.Equal("appliance", info.Fields["Name"]);
        Assert.Throws<KeyNotFoundException>(() => info.GetInt64("NoSuchField"));
    }

    [Fact]
    public async Task ShowActivityParsesTotalsAndPerShardValues()
    {
        using var scratch = new ScratchDirectory();
        var server = AnswerOnce(scratch.StatsSocketPath, ActivityAnswer);

        var activity = new RuntimeApiClient(scratch.StatsSocketPath).ShowActivity();

        Assert.Equal("show activity\n", await server);
        var accepted = activity.Get("accepted");
        Assert.Equal(200, accepted.Total);
        Assert.Equal([103L, 97L], accepted.PerShard);
        Assert.Equal(7, activity.Get("connects").Total);
        Assert.Empty(activity.Get("connects").PerShard);
        Assert.False(activity.Counters.ContainsKey("thread_id"));
        Assert.False(activity.Counters.ContainsKey("uptime_now"));
    }

    /// <summary>Accepts one connection, reads one line, answers, closes; returns what it read.</summary>
    private static Task<string> AnswerOnce(string socketPath, string answer)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        listener.Listen(1);
        return Task.Run(async () =>
        {
            using (listener)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                using var connection = await listener.AcceptAsync(timeout.Token);
                var request = new StringBuilder();
                var buffer = new byte[1];
                while (!request.ToString().EndsWith('\n') && await connection.ReceiveAsync(buffer, timeout.Token) == 1)
                {
                    request.Append((char)buffer[0]);
                }

                await connection.SendAsync(Encoding.ASCII.GetBytes(answer), timeout.Token);
                connection.Shutdown(SocketShutdown.Both);
                return request.ToString();
            }
        });
    }
}
