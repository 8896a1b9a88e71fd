namespace Appliance.Forwarding.Tcp;

/// <summary>What one <see cref="SpliceChannel.Pump"/> call did, as flags.</summary>
[Flags]
internal enum PumpResult
{
    None = 0,
    /// <summary>Bytes were read from the source (or its EOF seen).</summary>
    SourceActivity = 1,
    /// <summary>Bytes were written to the target.</summary>
    TargetActivity = 2,
    /// <summary>Reading the source failed (reset); <see cref="SpliceChannel.Error"/> holds errno.</summary>
    SourceFailed = 4,
    /// <summary>Writing the target failed (reset, broken pipe).</summary>
    TargetFailed = 8,
}
