using Appliance.Config.Model;
using static Appliance.Tests.Config.ConfigTestSupport;

namespace Appliance.Tests.Config;

public class GlobalKeywordTests
{
    private static GlobalConfig Global(string body) => LoadValid("global\n" + body).Global;

    [Fact]
    public void EmptyFileGivesDefaults()
    {
        var config = LoadValid("");
        Assert.Equal(GlobalConfig.Default, config.Global);
        Assert.Empty(config.Frontends);
        Assert.Empty(config.Backends);
    }

    [Fact]
    public void ParsesScalars()
    {
        var global = Global("  maxconn 20000\n  nbthread 4\n  hard-stop-after 30s\n");
        Assert.Equal(20000, global.MaxConn);
        Assert.Equal(4, global.NbThread);
        Assert.Equal(TimeSpan.FromSeconds(30), global.HardStopAfter);
    }

    [Fact]
    public void StrictLimitsIsOnByDefaultAndNoTurnsItOff()
    {
        Assert.True(GlobalConfig.Default.StrictLimits);
        Assert.False(Global("no strict-limits\n").StrictLimits);
        Assert.True(Global("no strict-limits\nstrict-limits\n").StrictLimits);
    }

    [Fact]
    public void BusyPollingIsOffByDefaultAndNoTurnsItOffAgain()
    {
        Assert.False(GlobalConfig.Default.BusyPolling);
        Assert.True(Global("busy-polling\n").BusyPolling);
        Assert.False(Global("busy-polling\nno busy-polling\n").BusyPolling);
    }

    [Fact]
    public void HardStopAfterDefaultsToMilliseconds() =>
        Assert.Equal(TimeSpan.FromMilliseconds(1500), Global("hard-stop-after 1500").HardStopAfter);

    [Fact]
    public void SeveralGlobalSectionsAddUp()
    {
        var config = LoadValid("global\n maxconn 5\nglobal\n nbthread 2\n");
        Assert.Equal(5, config.Global.MaxConn);
        Assert.Equal(2, config.Global.NbThread);
    }

    [Theory]
    [InlineData("nbthread 0", "test.cfg:2: section 'global': keyword 'nbthread': value 0 is out of range (1..64)")]
    [InlineData("nbthread 65", "test.cfg:2: section 'global': keyword 'nbthread': value 65 is out of range (1..64)")]
    [InlineData("maxconn -1", "test.cfg:2: section 'global': keyword 'maxconn': value -1 is out of range (must be at least 0)")]
    [InlineData("maxconn", "test.cfg:2: section 'global': keyword 'maxconn': missing argument; usage: maxconn <number>")]
    [InlineData("hard-stop-after 5x", "test.cfg:2: section 'global': keyword 'hard-stop-after': invalid unit 'x' in time '5x' (expected us, ms, s, m, h or d)")]
    [InlineData("hard-stop-after 1s 2s", "test.cfg:2: section 'global': keyword 'hard-stop-after': unexpected argument '2s'; usage: hard-stop-after <time>")]
    [InlineData("strict-limits on", "test.cfg:2: section 'global': keyword 'strict-limits': unexpected argument 'on'; usage: strict-limits")]
    [InlineData("busy-polling on", "test.cfg:2: section 'global': keyword 'busy-polling': unexpected argument 'on'; usage: busy-polling")]
    [InlineData("nbproc 2", "test.cfg:2: section 'global': keyword 'nbproc': not supported yet (removed from HAProxy 2.5; use nbthread)")]
    [InlineData("setenv X 1", "test.cfg:2: section 'global': keyword 'setenv': not supported yet (changes environment variables used by later lines)")]
    public void RejectsBadValues(string line, string expected) => Assert.Equal(expected, SingleError("global\n" + line));

    public static TheoryData<string, int[][]> CpuMaps => new()
    {
        { "cpu-map 1/1 0", [[1], [0]] },
        { "cpu-map 1/2 0-1 3", [[2], [0, 1, 3]] },
        { "cpu-map 1/3-4 2-3", [[3, 4], [2, 3]] },
        { "cpu-map 1/all 0-1", [Enumerable.Range(1, 64).ToArray(), [0, 1]] },
        { "cpu-map 1 0", [Enumerable.Range(1, 64).ToArray(), [0]] },
        { "cpu-map 1/odd 0", [Enumerable.Range(0, 32).Select(i => 2 * i + 1).ToArray(), [0]] },
        { "cpu-map 1/even 1", [Enumerable.Range(1, 32).Select(i => 2 * i).ToArray(), [1]] },
        { "cpu-map 1/63- 5", [[63, 64], [5]] },
        { "cpu-map 1/1 60-", [[1], [60, 61, 62, 63]] },
        { "cpu-map 1/1 3 1 2 1", [[1], [1, 2, 3]] },
    };

    [Theory]
    [MemberData(nameof(CpuMaps))]
    public void ParsesCpuMap(string line, int[][] expected)
    {
        var map = Assert.Single(Global(line).CpuMaps);
        Assert.Equal(expected[0], map.Threads);
        Assert.Equal(expected[1], map.Cpus);
        Assert.Equal(new SourceLocation(FileName, 2), map.Location);
    }

    [Fact]
    public void AutoCpuMapPairsThreadsAndCpusOneToOne()
    {
        var maps = Global("cpu-map auto:1/1-2 0-1\ncpu-map auto:1/3-5 7 5 6").CpuMaps;
        Assert.Equal([(1, 0), (2, 1), (3, 5), (4, 6), (5, 7)], maps.Select(m => (Assert.Single(m.Threads), Assert.Single(m.Cpus))));
    }

    [Theory]
    [InlineData("cpu-map auto:1/1-2 0", "auto: needs as many CPUs as threads (got 2 threads and 1 CPUs)")]
    [InlineData("cpu-map auto:1/all 0-1", "auto: needs as many CPUs as threads (got 64 threads and 2 CPUs)")]
    [InlineData("cpu-map 2/1 0", "thread group '2' does not exist: only group 1 is supported (write 1/THREADS)")]
    [InlineData("cpu-map 1/0 0", "invalid thread set '0' (expected N, N-M or N- with threads 1..64)")]
    [InlineData("cpu-map 1/65 0", "invalid thread set '65' (expected N, N-M or N- with threads 1..64)")]
    [InlineData("cpu-map 1/4-2 0", "invalid thread set '4-2': the range is reversed")]
    [InlineData("cpu-map 1/1 x", "invalid CPU set 'x' (expected N, N-M or N- with CPUs 0..1023)")]
    [InlineData("cpu-map 1/1 1024", "invalid CPU set '1024' (expected N, N-M or N- with CPUs 0..1023)")]
    [InlineData("cpu-map 1/1", "missing argument; usage: cpu-map [auto:]1[/<threads>] <cpus>...")]
    public void RejectsBadCpuMaps(string line, string message) =>
        Assert.Equal($"test.cfg:2: section 'global': keyword 'cpu-map': {message}", SingleError("global\n" + line));

    [Fact]
    public void ParsesStatsSockets()
    {
        var sockets = Global(
            "stats socket /run/haproxy/admin.sock mode 660 level admin\n" +
            "stats socket unix@/run/user.sock level user\n" +
            "stats socket /run/plain.sock\n").StatsSockets;
        Assert.Equal(
            [
                new StatsSocketConfig("/run/haproxy/admin.sock", Convert.ToInt32("660", 8), RuntimeApiLevel.Admin, new SourceLocation(FileName, 2)),
                new StatsSocketConfig("/run/user.sock", null, RuntimeApiLevel.User, new SourceLocation(FileName, 3)),
                new StatsSocketConfig("/run/plain.sock", null, RuntimeApiLevel.Operator, new SourceLocation(FileName, 4)),
            ],
            sockets);
    }

    [Fact]
    public void StatsSocketIgnoredOptionsWarnOnce()
    {
        var result = Load("global\n stats socket /a.sock expose-fd listeners\n stats socket /b.sock expose-fd listeners\n");
        Assert.True(result.Succeeded);
        Assert.Equal(2, result.Config!.Global.StatsSockets.Count);
        Assert.Equal(
            ["test.cfg:2: warning: section 'global': keyword 'stats socket': option 'expose-fd' not implemented yet, ignored"],
            result.Warnings.Select(w => w.ToString()));
    }

    [Theory]
    [InlineData("stats socket /a.sock level root", "invalid level 'root' (expected user, operator or admin)")]
    [InlineData("stats socket /a.sock level admn", "invalid level 'admn' (expected user, operator or admin); did you mean 'admin'?")]
    [InlineData("stats socket /a.sock mode 0999", "invalid mode '0999' (expected octal permissions such as 660)")]
    [InlineData("stats socket /a.sock mode", "option 'mode' needs a value (mode <octal>)")]
    [InlineData("stats socket /a.sock levle admin", "unknown option 'levle'; did you mean 'level'?")]
    [InlineData("stats socket ipv4@127.0.0.1:9999", "'ipv4@127.0.0.1:9999': only Unix socket paths are supported yet (write an absolute path)")]
    public void RejectsBadStatsSockets(string line, string message) =>
        Assert.Equal($"test.cfg:2: section 'global': keyword 'stats socket': {message}", SingleError("global\n" + line));

    [Fact]
    public void UnknownStatsSubKeywordSuggestsTheClosest() =>
        Assert.Equal("test.cfg:2: section 'global': keyword 'stats': unknown stats 'sockt'; did you mean 'socket'?",
            SingleError("global\n stats sockt /a.sock"));
}
