namespace Appliance.Http;

/// <summary>The HTTP/1.x versions accepted on the wire; anything else is refused with 505.</summary>
public enum Http1Version : byte
{
    Http10 = 0,
    Http11 = 1,
}
