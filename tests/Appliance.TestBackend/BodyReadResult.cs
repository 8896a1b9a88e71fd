namespace Appliance.TestBackend;

/// <summary>
/// What arrived of a request body: its decoded length and SHA-256, and why it is incomplete when
/// <see cref="Error"/> is set (EOF, bad chunk syntax).
/// </summary>
internal sealed record BodyReadResult(long Length, string Sha256Hex, string? Error)
{
    public bool IsComplete => Error is null;
}
