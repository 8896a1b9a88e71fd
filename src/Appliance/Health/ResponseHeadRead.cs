namespace Appliance.Health;

/// <summary>How reading a health check response head ended.</summary>
internal enum ResponseHeadRead
{
    /// <summary>A final response head is parsed.</summary>
    Complete,
    /// <summary>The server closed without sending a byte.</summary>
    Empty,
    /// <summary>Not HTTP, malformed, cut short by the close, or larger than the check buffer.</summary>
    Invalid,
}
