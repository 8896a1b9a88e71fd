namespace Appliance.Forwarding.Http;

/// <summary>Where one <see cref="HttpRelay.Pump"/> call left its direction.</summary>
internal enum RelayStatus
{
    /// <summary>The message body has been relayed completely (and everything sent).</summary>
    Done,
    /// <summary>Waiting for the source to become readable or the target writable.</summary>
    Waiting,
    /// <summary>The source closed before the message was complete.</summary>
    SourceTruncated,
    /// <summary>Reading the source failed (reset).</summary>
    SourceFailed,
    /// <summary>Writing the target failed (reset, broken pipe).</summary>
    TargetFailed,
    /// <summary>The body's framing is invalid (bad chunk).</summary>
    ProtocolError,
}
