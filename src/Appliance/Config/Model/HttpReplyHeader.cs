namespace Appliance.Config.Model;

/// <summary>A <c>hdr NAME VALUE</c> option of a <c>return</c> or <c>deny</c> reply.</summary>
public sealed record HttpReplyHeader(string Name, string Value);
