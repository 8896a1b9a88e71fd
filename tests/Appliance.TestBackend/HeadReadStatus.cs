namespace Appliance.TestBackend;

/// <summary>How waiting for the next request head ended.</summary>
internal enum HeadReadStatus
{
    /// <summary>A complete head is available.</summary>
    Complete,

    /// <summary>The peer closed before sending any byte of a new request: a clean end of the connection.</summary>
    ClosedBetweenRequests,

    /// <summary>The peer closed in the middle of a head.</summary>
    ClosedInHead,

    /// <summary>The head exceeded the origin's limit.</summary>
    TooLarge,
}
