using System.Text;
using Appliance.Testing;

namespace Appliance.Load.Origins;

/// <summary>
/// What the in-process origins answer, known to the client too so it can check every byte: a 100-byte
/// body that names the origin listener (so a response proves which service answered), and 1 MiB of the
/// test backend's deterministic stream.
/// </summary>
internal static class OriginBodies
{
    public const int SmallBytes = 100;
    public const int BulkBytes = 1024 * 1024;

    /// <summary>Path of the 1 MiB answer; every other path gets the small one.</summary>
    public const string BulkPath = "/bulk";

    public static readonly byte[] Bulk = DeterministicByteStream.Generate(BulkBytes);

    /// <summary><c>IDENTITY</c>, a space, dots up to 99 bytes, a newline.</summary>
    public static byte[] Small(string identity)
    {
        string text = (identity + " ").PadRight(SmallBytes - 1, '.') + "\n";
        if (text.Length != SmallBytes) throw new ArgumentException($"identity '{identity}' is too long");
        return Encoding.ASCII.GetBytes(text);
    }
}
