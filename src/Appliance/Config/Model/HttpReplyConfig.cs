namespace Appliance.Config.Model;

/// <summary>
/// A response the proxy sends itself for <c>deny</c> or <c>return</c> (HAProxy's "http reply"). Files
/// were read when the configuration was: <see cref="Content"/> holds their bytes.
/// </summary>
/// <param name="Status">200 to 599.</param>
/// <param name="ContentType">The payload's type; set exactly when <see cref="BodyKind"/> is a non-empty payload.</param>
/// <param name="BodyKind">Where the response comes from.</param>
/// <param name="Content">The payload (<see cref="HttpReplyBodyKind.Payload"/>) or the whole response
/// (<see cref="HttpReplyBodyKind.ErrorFile"/>); empty otherwise.</param>
/// <param name="Headers">Extra <c>hdr NAME VALUE</c> fields (not with an error file).</param>
/// <param name="SourceFile">The file <see cref="Content"/> was read from, for messages; null for a string.</param>
public sealed record HttpReplyConfig(
    int Status,
    string? ContentType,
    HttpReplyBodyKind BodyKind,
    ValueList<byte> Content,
    ValueList<HttpReplyHeader> Headers,
    string? SourceFile = null);
