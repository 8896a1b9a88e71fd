namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// Polls a condition until it holds or a deadline passes: the replacement for fixed sleeps. A probe that throws
/// counts as "not yet", and its last exception is reported if the deadline passes.
/// </summary>
public static class Eventually
{
    /// <summary>Short enough to add little latency to a test, long enough not to hammer the process under test.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(25);

    public static void True(Func<bool> condition, TimeSpan timeout, string expectation, TimeSpan? pollInterval = null) =>
        Value(condition, satisfied => satisfied, timeout, expectation, pollInterval);

    /// <summary>Returns the first value of <paramref name="probe"/> that <paramref name="accept"/> accepts.</summary>
    public static T Value<T>(
        Func<T> probe, Func<T, bool> accept, TimeSpan timeout, string expectation, TimeSpan? pollInterval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var interval = pollInterval ?? DefaultPollInterval;
        T? last = default;
        Exception? lastError = null;
        bool probed = false;
        while (true)
        {
            try
            {
                last = probe();
                probed = true;
                lastError = null;
                if (accept(last))
                {
                    return last;
                }
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                lastError = e;
            }

            if (DateTime.UtcNow >= deadline)
            {
                var lastSeen = lastError is not null ? $"last error: {lastError}" : probed ? $"last value: {last}" : "never probed";
                Assert.Fail($"Not true within {timeout.TotalSeconds:0.###} s: {expectation}; {lastSeen}");
            }

            Thread.Sleep(interval);
        }
    }
}
