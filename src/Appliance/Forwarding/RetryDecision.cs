namespace Appliance.Forwarding;

/// <summary>What to do after a failed connect attempt (see <see cref="ServerSelection.AfterConnectFailure"/>).</summary>
internal enum RetryDecision
{
    /// <summary>No retries left: the connection fails.</summary>
    GiveUp,
    /// <summary>Last retry with <c>option redispatch</c>: pick another server now.</summary>
    Redispatch,
    /// <summary>Same server again at once (after a timeout there is nothing to wait for).</summary>
    RetryNow,
    /// <summary>Same server again after the turn-around delay.</summary>
    RetryAfterDelay,
}
