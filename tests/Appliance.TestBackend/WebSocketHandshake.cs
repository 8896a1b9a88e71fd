using System.Security.Cryptography;
using System.Text;

namespace Appliance.TestBackend;

/// <summary>The server side of the RFC 6455 opening handshake.</summary>
internal static class WebSocketHandshake
{
    // RFC 6455 section 1.3.
    private const string KeyGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary><c>Sec-WebSocket-Accept</c> for a client's <c>Sec-WebSocket-Key</c>.</summary>
    public static string AcceptFor(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key.Trim() + KeyGuid)));
}
