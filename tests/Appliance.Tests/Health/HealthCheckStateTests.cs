using Appliance.Health;
using static Appliance.Health.HealthTransition;

namespace Appliance.Tests.Health;

public class HealthCheckStateTests
{
    private static readonly TimeSpan Inter = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Down = TimeSpan.FromSeconds(10);

    private static TimeSpan Next(HealthCheckState s) => s.NextInterval(Inter, Fast, Down);

    [Fact]
    public void Starts_up_but_unconfirmed_as_haproxy()
    {
        var s = new HealthCheckState(rise: 2, fall: 3);
        Assert.True(s.IsUp);
        Assert.Equal(2, s.Health);
        Assert.False(s.IsStable);
        Assert.Equal(Fast, Next(s)); // "yet unchecked" uses fastinter
        Assert.Equal("UP 1/3", s.ToString());
    }

    [Fact]
    public void At_start_a_single_failure_takes_it_down()
    {
        var s = new HealthCheckState(rise: 2, fall: 3);
        Assert.Equal(WentDown, s.RecordFailure());
        Assert.False(s.IsUp);
        Assert.Equal(0, s.Health);
        Assert.Equal(Down, Next(s));
    }

    [Fact]
    public void At_start_one_success_makes_it_fully_up()
    {
        var s = new HealthCheckState(rise: 2, fall: 3);
        Assert.Equal(None, s.RecordSuccess()); // already UP: no transition to report
        Assert.True(s.IsStable);
        Assert.Equal(4, s.Health);
        Assert.Equal(Inter, Next(s));
        Assert.Equal("UP", s.ToString());
        Assert.Equal(None, s.RecordSuccess()); // stays at the top
        Assert.Equal(4, s.Health);
    }

    [Theory]
    [InlineData(2, 3)]
    [InlineData(1, 1)]
    [InlineData(5, 2)]
    [InlineData(1, 10)]
    public void From_fully_up_fall_consecutive_failures_go_down_and_rise_successes_come_back(int rise, int fall)
    {
        var s = FullyUp(rise, fall);

        for (int i = 1; i < fall; i++)
        {
            Assert.Equal(None, s.RecordFailure());
            Assert.True(s.IsUp);
            Assert.Equal(Fast, Next(s)); // transitionally UP (going down)
            Assert.Equal($"UP {fall - i}/{fall}", s.ToString());
        }
        Assert.Equal(WentDown, s.RecordFailure());
        Assert.False(s.IsUp);
        Assert.Equal(Down, Next(s));
        Assert.Equal("DOWN", s.ToString());
        Assert.Equal(None, s.RecordFailure()); // stays at the bottom
        Assert.Equal(0, s.Health);

        for (int i = 1; i < rise; i++)
        {
            Assert.Equal(None, s.RecordSuccess());
            Assert.False(s.IsUp);
            Assert.Equal(Fast, Next(s)); // transitionally DOWN (going up)
            Assert.Equal($"DOWN {i}/{rise}", s.ToString());
        }
        Assert.Equal(WentUp, s.RecordSuccess());
        Assert.True(s.IsUp);
        Assert.True(s.IsStable);
        Assert.Equal(Inter, Next(s));
    }

    [Fact]
    public void A_success_while_going_down_restores_full_health()
    {
        var s = FullyUp(rise: 2, fall: 3);
        s.RecordFailure();
        s.RecordFailure();
        Assert.Equal(None, s.RecordSuccess());
        Assert.True(s.IsStable);
        Assert.Equal(Inter, Next(s));

        // The failure count starts over: fall more failures are needed.
        Assert.Equal(None, s.RecordFailure());
        Assert.Equal(None, s.RecordFailure());
        Assert.Equal(WentDown, s.RecordFailure());
    }

    [Fact]
    public void A_failure_while_going_up_starts_over()
    {
        var s = FullyUp(rise: 3, fall: 2);
        s.RecordFailure();
        Assert.Equal(WentDown, s.RecordFailure());

        s.RecordSuccess();
        s.RecordSuccess();
        Assert.Equal(None, s.RecordFailure());
        Assert.Equal(0, s.Health);
        Assert.Equal(Down, Next(s));

        Assert.Equal(None, s.RecordSuccess());
        Assert.Equal(None, s.RecordSuccess());
        Assert.Equal(WentUp, s.RecordSuccess());
    }

    [Fact]
    public void Every_transition_is_reported_once()
    {
        var s = new HealthCheckState(rise: 2, fall: 2);
        var rng = new Random(1234);
        bool up = true;
        for (int i = 0; i < 10_000; i++)
        {
            var transition = rng.Next(3) == 0 ? s.RecordFailure() : s.RecordSuccess();
            if (transition == WentDown) { Assert.True(up); up = false; }
            if (transition == WentUp) { Assert.False(up); up = true; }
            Assert.Equal(up, s.IsUp);
            Assert.InRange(s.Health, 0, 3);
        }
    }

    [Fact]
    public void Reset_returns_to_the_starting_point()
    {
        var s = FullyUp(rise: 2, fall: 3);
        s.RecordFailure();
        s.RecordFailure();
        s.RecordFailure();
        s.Reset();
        Assert.True(s.IsUp);
        Assert.Equal(2, s.Health);
        Assert.Equal(WentDown, s.RecordFailure());
    }

    [Fact]
    public void Defaults_follow_the_server_config()
    {
        var config = Appliance.Tests.Balancing.TestBackends.Server("a", check: true, inter: TimeSpan.FromSeconds(4), downInter: TimeSpan.FromSeconds(9));
        var s = new HealthCheckState(config.Rise, config.Fall);
        Assert.Equal(TimeSpan.FromSeconds(4), s.NextInterval(config)); // fastinter defaults to inter
        s.RecordFailure();
        Assert.Equal(TimeSpan.FromSeconds(9), s.NextInterval(config));
        Assert.Equal(TimeSpan.FromSeconds(2), new HealthCheckState(2, 3).NextInterval(Appliance.Tests.Balancing.TestBackends.Server("b")));
    }

    [Fact]
    public void Rejects_zero_rise_or_fall()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HealthCheckState(0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HealthCheckState(2, 0));
    }

    private static HealthCheckState FullyUp(int rise, int fall)
    {
        var s = new HealthCheckState(rise, fall);
        while (!s.IsStable) s.RecordSuccess();
        Assert.True(s.IsUp);
        return s;
    }
}
