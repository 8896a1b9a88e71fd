namespace Appliance.Http;

/// <summary>
/// One field line of a parsed head: name and value as ranges of the parsed buffer. The value excludes
/// the optional whitespace around it (RFC 9112 §5.1).
/// </summary>
public readonly record struct HeaderField(ByteRange Name, ByteRange Value, KnownHeader Known);
