namespace Appliance.Routing.Patterns;

/// <summary>
/// One string pattern as written (<paramref name="Text"/>) and as matched (<paramref name="Bytes"/>,
/// its UTF-8 encoding, see <see cref="RoutingText"/>), with its own case flag (<c>-i</c> applies to the patterns after it) and its order: the
/// declaration position that decides which of several matches wins.
/// </summary>
internal readonly record struct StringPattern(string Text, byte[] Bytes, bool IgnoreCase, int Order)
{
    public static StringPattern From(string text, bool ignoreCase, int order) =>
        new(text, RoutingText.Bytes(text), ignoreCase, order);
}
