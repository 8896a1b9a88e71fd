using Appliance.Config.Model;
using Appliance.Health;
using static Appliance.Tests.Balancing.TestBackends;

namespace Appliance.Tests.Health;

public class CheckTimeoutsTests
{
    private static readonly ServerConfig Inter3s = Server("a", check: true, inter: TimeSpan.FromSeconds(3), fastInter: TimeSpan.FromMilliseconds(100));

    [Fact]
    public void Without_timeout_check_inter_bounds_the_whole_check()
    {
        var t = CheckTimeouts.For(Inter3s, new Timeouts(Connect: TimeSpan.FromSeconds(1)));
        Assert.Equal(new CheckTimeouts(TimeSpan.FromSeconds(3), null), t);
    }

    [Fact]
    public void With_timeout_check_connect_is_min_of_connect_and_inter_and_check_bounds_the_response()
    {
        var shortConnect = CheckTimeouts.For(Inter3s, new Timeouts(Connect: TimeSpan.FromSeconds(1), Check: TimeSpan.FromSeconds(5)));
        Assert.Equal(new CheckTimeouts(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)), shortConnect);

        var longConnect = CheckTimeouts.For(Inter3s, new Timeouts(Connect: TimeSpan.FromSeconds(10), Check: TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromSeconds(3), longConnect.Connect);

        var noConnect = CheckTimeouts.For(Inter3s, new Timeouts(Check: TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromSeconds(3), noConnect.Connect);
    }

    [Fact]
    public void Default_inter_is_two_seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(2), CheckTimeouts.For(Server("a", check: true), Timeouts.None).Connect);
    }
}
