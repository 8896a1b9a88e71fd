using System.Security.Cryptography;

namespace Appliance.IntegrationTests.HarnessTests;

public sealed class DeterministicByteStreamHarnessTests
{
    [Fact]
    public void BytesDoNotDependOnHowTheStreamIsCut()
    {
        var whole = DeterministicByteStream.Generate(10_000);
        var stream = new DeterministicByteStream();
        var pieces = new byte[whole.Length];
        // Odd sizes split words at every possible offset.
        int[] sizes = [1, 3, 7, 8, 9, 13, 64, 1000, 5];
        for (int at = 0, i = 0; at < pieces.Length; i++)
        {
            int take = Math.Min(sizes[i % sizes.Length], pieces.Length - at);
            stream.Fill(pieces.AsSpan(at, take));
            at += take;
        }

        Assert.Equal(whole, pieces);
    }

    [Fact]
    public void Sha256HexMatchesTheGeneratedBytes()
    {
        const int length = 3 * 1024 * 1024 + 5;
        var expected = Convert.ToHexStringLower(SHA256.HashData(DeterministicByteStream.Generate(length)));

        Assert.Equal(expected, DeterministicByteStream.Sha256Hex(length));
    }

    [Fact]
    public void SeedsGiveDifferentStreams()
    {
        Assert.NotEqual(DeterministicByteStream.Generate(64, seed: 1), DeterministicByteStream.Generate(64, seed: 2));
        Assert.Equal(DeterministicByteStream.Generate(64, seed: 1), DeterministicByteStream.Generate(64, seed: 1));
    }
}
