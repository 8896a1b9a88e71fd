namespace Appliance.IntegrationTests.Harness;

/// <summary>How an <c>appliance run</c> start ended, for tests that accept more than one outcome.</summary>
public enum StartOutcome
{
    /// <summary>The <c>Appliance ready</c> line appeared.</summary>
    Ready,

    /// <summary>The process exited before becoming ready.</summary>
    Exited,

    /// <summary>Neither happened before the deadline.</summary>
    TimedOut,
}
