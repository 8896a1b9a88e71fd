using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Appliance.Testing;

/// <summary>
/// An endless pseudo-random byte stream (splitmix64, little-endian words) that the test backend sends in
/// <c>source</c> mode and that tests regenerate to know the expected SHA-256 without storing the bytes.
/// The stream is a pure function of the seed: how it is cut into <see cref="Fill"/> calls does not change
/// the bytes, so a sender and a checker may use different chunk sizes.
/// This file is linked into both Appliance.TestBackend and Appliance.IntegrationTests; keep it dependency-free.
/// </summary>
public sealed class DeterministicByteStream
{
    /// <summary>The seed the test backend's <c>source</c> mode always uses.</summary>
    public const ulong DefaultSeed = 0x5EED_A991_1A4C_E001UL;

    // 1 MiB keeps SHA-256 and socket writes in their efficient range without a large allocation.
    private const int HashChunkBytes = 1 << 20;

    private ulong _state;
    private ulong _pendingWord;
    private int _pendingByteCount;

    public DeterministicByteStream(ulong seed = DefaultSeed) => _state = seed;

    /// <summary>Writes the next <paramref name="destination"/>.Length bytes of the stream.</summary>
    public void Fill(Span<byte> destination)
    {
        // Bytes left over from a word that the previous call split.
        while (_pendingByteCount > 0 && !destination.IsEmpty)
        {
            destination[0] = (byte)_pendingWord;
            _pendingWord >>= 8;
            _pendingByteCount--;
            destination = destination[1..];
        }

        int wholeWords = destination.Length / sizeof(ulong);
        for (int i = 0; i < wholeWords; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination.Slice(i * sizeof(ulong)), NextWord());
        }

        destination = destination[(wholeWords * sizeof(ulong))..];
        if (!destination.IsEmpty)
        {
            ulong word = NextWord();
            for (int i = 0; i < destination.Length; i++)
            {
                destination[i] = (byte)word;
                word >>= 8;
            }

            _pendingWord = word;
            _pendingByteCount = sizeof(ulong) - destination.Length;
        }
    }

    /// <summary>The first <paramref name="length"/> bytes of the stream for <paramref name="seed"/>.</summary>
    public static byte[] Generate(int length, ulong seed = DefaultSeed)
    {
        var bytes = new byte[length];
        new DeterministicByteStream(seed).Fill(bytes);
        return bytes;
    }

    /// <summary>Lower-case hex SHA-256 of the first <paramref name="length"/> bytes of the stream.</summary>
    public static string Sha256Hex(long length, ulong seed = DefaultSeed)
    {
        var stream = new DeterministicByteStream(seed);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[(int)Math.Min(HashChunkBytes, Math.Max(length, 1))];
        for (long remaining = length; remaining > 0;)
        {
            int take = (int)Math.Min(chunk.Length, remaining);
            stream.Fill(chunk.AsSpan(0, take));
            hash.AppendData(chunk, 0, take);
            remaining -= take;
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private ulong NextWord()
    {
        // splitmix64 (Steele, Lea, Flood 2014): fast, full-period, and good enough to defeat any compression
        // or pattern that could make a broken proxy look correct.
        ulong z = _state += 0x9E37_79B9_7F4A_7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return z ^ (z >> 31);
    }
}
