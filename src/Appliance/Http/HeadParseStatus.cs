namespace Appliance.Http;

/// <summary>What a head parse call concluded.</summary>
public enum HeadParseStatus : byte
{
    /// <summary>The head is not complete yet; call again with the same bytes plus more.</summary>
    NeedMoreBytes = 0,
    /// <summary>The head is complete; <see cref="HeadParseResult.Consumed"/> bytes belong to it.</summary>
    Complete,
    /// <summary>The head is invalid; see <see cref="HeadParseResult.Error"/> and <see cref="HeadParseResult.StatusCode"/>.</summary>
    Error,
}
