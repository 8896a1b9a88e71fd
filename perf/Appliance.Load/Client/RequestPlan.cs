using System.Net;
using System.Text;
using Appliance.Load.Origins;

namespace Appliance.Load.Client;

/// <summary>
/// One kind of request a scenario sends and how to check its answer: the bytes to send, which origins may
/// answer it (by <c>X-Backend</c>), and whether the body is the 1 MiB one.
/// </summary>
internal sealed class RequestPlan
{
    public RequestPlan(IPEndPoint target, string path, IReadOnlyList<string> origins, bool close)
    {
        Path = path;
        Close = close;
        Bulk = path == OriginBodies.BulkPath;
        Request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {target}\r\n{(close ? "Connection: close\r\n" : "")}\r\n");
        Identities = [.. origins.Select(Encoding.ASCII.GetBytes)];
        SmallBodies = [.. origins.Select(OriginBodies.Small)];
    }

    public string Path { get; }

    public byte[] Request { get; }

    public bool Close { get; }

    public bool Bulk { get; }

    /// <summary>The <c>X-Backend</c> values that may answer.</summary>
    public byte[][] Identities { get; }

    /// <summary>The small body each of <see cref="Identities"/> sends (same order).</summary>
    public byte[][] SmallBodies { get; }

    /// <summary>Index into <see cref="Identities"/> of <paramref name="identity"/>, or -1.</summary>
    public int IndexOf(ReadOnlySpan<byte> identity)
    {
        for (int i = 0; i < Identities.Length; i++) if (identity.SequenceEqual(Identities[i])) return i;
        return -1;
    }
}
