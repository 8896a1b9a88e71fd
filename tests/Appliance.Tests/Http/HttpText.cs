using System.Text;
using Appliance.Http;

namespace Appliance.Tests.Http;

/// <summary>Test-side conversions: raw messages as Latin-1 strings (so \u0080.. stand for single bytes) and head snapshots.</summary>
internal static class HttpText
{
    public static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    public static string Text(ByteRange range, ReadOnlySpan<byte> buffer) => Text(range.Of(buffer));

    /// <summary>Everything a request head exposes, as one comparable string.</summary>
    public static string Describe(ReadOnlySpan<byte> buffer, RequestHead head)
    {
        var text = new StringBuilder();
        text.Append($"{head.Method} [{Text(head.MethodToken, buffer)}] {head.TargetForm} [{Text(head.Target, buffer)}] ");
        text.Append($"scheme=[{Text(head.Scheme, buffer)}] authority=[{Text(head.Authority, buffer)}] ");
        text.Append($"path=[{Text(head.Path, buffer)}] query={(head.HasQuery ? "[" + Text(head.Query, buffer) + "]" : "none")} ");
        text.Append($"{head.Version} host={(head.HasHost ? "[" + Text(head.Host, buffer) + "]" : "none")} ");
        text.Append($"expect={head.ExpectContinue} upgrade={head.IsUpgradeRequest} ");
        DescribeCommon(text, buffer, head);
        return text.ToString();
    }

    public static string Describe(ReadOnlySpan<byte> buffer, ResponseHead head)
    {
        var text = new StringBuilder();
        text.Append($"{head.Version} {head.StatusCode} [{Text(head.StatusCodeText, buffer)}] [{Text(head.Reason, buffer)}] ");
        DescribeCommon(text, buffer, head);
        return text.ToString();
    }

    private static void DescribeCommon(StringBuilder text, ReadOnlySpan<byte> buffer, MessageHead head)
    {
        text.Append($"cl={head.ContentLength} te={head.HasTransferEncoding}/{head.IsChunked} conn={head.Connection} ");
        text.Append($"alive={head.KeepsConnectionAlive} len={head.HeadLength}");
        foreach (HeaderField field in head.Headers)
        {
            text.Append($" | {Text(field.Name, buffer)}: {Text(field.Value, buffer)} ({field.Known})");
        }
    }
}
