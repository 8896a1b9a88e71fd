using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Appliance.TestBackend;

/// <summary>
/// <c>sha</c> mode: read until the peer half-closes, then answer <c>&lt;byte count&gt; &lt;sha256 hex&gt;\n</c> and
/// close. A client only gets the answer if its half-close travelled through the proxy and the answer travelled
/// back on the still-open other direction.
/// </summary>
internal static class ShaScript
{
    public static async Task ServeAsync(Socket connection, CancellationToken cancel)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[SocketTransfers.BulkBufferBytes];
        long total = 0;
        int received;
        while ((received = await connection.ReceiveAsync(buffer, SocketFlags.None, cancel)) > 0)
        {
            hash.AppendData(buffer, 0, received);
            total += received;
        }

        var answer = $"{total} {Convert.ToHexStringLower(hash.GetHashAndReset())}\n";
        await connection.SendAllAsync(Encoding.ASCII.GetBytes(answer), cancel);
        connection.Shutdown(SocketShutdown.Send);
    }
}
