using Appliance.Routing;

namespace Appliance.Rules;

/// <summary>
/// Content-Length and Transfer-Encoding: the session relays the body by what the received head said,
/// so no rule may change them (the forwarded head would disagree with the bytes that follow it).
/// </summary>
internal static class FramingFields
{
    public static bool Contains(ReadOnlySpan<byte> name) =>
        HeaderValues.NameEquals(name, "content-length"u8) || HeaderValues.NameEquals(name, "transfer-encoding"u8);
}
