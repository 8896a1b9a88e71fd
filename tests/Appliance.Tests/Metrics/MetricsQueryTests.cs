using System.Text;
using Appliance.Metrics;

namespace Appliance.Tests.Metrics;

/// <summary><c>?scope=</c> read as HAProxy's exporter reads it.</summary>
public sealed class MetricsQueryTests
{
    [Theory]
    [InlineData("", (int)(MetricsScope.All))]
    [InlineData("scope=global", (int)(MetricsScope.Global))]
    [InlineData("scope=frontend&scope=backend", (int)(MetricsScope.Frontend | MetricsScope.Backend))]
    [InlineData("scope=server&scope=server", (int)(MetricsScope.Server))]
    [InlineData("scope=", (int)(MetricsScope.None))]
    [InlineData("scope=&scope=server", (int)(MetricsScope.Server))]
    [InlineData("scope=*", (int)(MetricsScope.All))]
    [InlineData("scope=listener", (int)(MetricsScope.None))]
    [InlineData("no-maint&scope=backend", (int)(MetricsScope.Backend))]
    [InlineData("other=1", (int)(MetricsScope.All))]
    [InlineData("scope=%66rontend", (int)(MetricsScope.Frontend))]
    [InlineData("scope=server#scope=global", (int)(MetricsScope.Server))]
    public void Scopes_add_up(string query, int expected)
    {
        Assert.True(MetricsQuery.TryParse(Encoding.ASCII.GetBytes(query), out MetricsScope scope));
        Assert.Equal((MetricsScope)expected, scope);
    }

    [Theory]
    [InlineData("scope")]
    [InlineData("scope=bogus")]
    [InlineData("scope=global&scope=Frontend")]
    public void A_bad_scope_is_refused(string query) =>
        Assert.False(MetricsQuery.TryParse(Encoding.ASCII.GetBytes(query), out _));
}
