namespace Appliance.Tests.Health;

/// <summary>
/// Polls a condition until it holds or a deadline passes: no fixed sleeps in tests. Awaits between
/// polls rather than blocking, so the waiting test does not hold a thread-pool thread that socket
/// completions and timers of the code under test need.
/// </summary>
internal static class Eventually
{
    public static async Task True(Func<bool> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(5));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting for: {what}");
            await Task.Delay(5);
        }
    }
}
