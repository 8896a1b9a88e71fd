using Appliance.Config.Model;

namespace Appliance.Config.Parsing;

/// <summary>
/// The request parts one line sets (<c>option httpchk</c> or <c>http-check send</c>); null means "not set
/// here". HAProxy merges the two lines whatever their order: a later line replaces each part it sets, and
/// always replaces the header list, even with none.
/// </summary>
internal sealed record HttpCheckRequestParts(
    string? Method,
    string? Uri,
    string? Version,
    ValueList<HttpCheckHeader> Headers,
    string? Body)
{
    /// <summary>This (later) line's parts over <paramref name="earlier"/>'s.</summary>
    public HttpCheckRequestParts Over(HttpCheckRequestParts? earlier) => earlier is null
        ? this
        : new(Method ?? earlier.Method, Uri ?? earlier.Uri, Version ?? earlier.Version, Headers, Body ?? earlier.Body);

    /// <summary>The request with HAProxy's defaults for the parts no line set.</summary>
    public HttpCheckRequest ToRequest() => new(
        Method ?? HttpCheckRequest.DefaultMethod,
        Uri ?? HttpCheckRequest.DefaultUri,
        Version ?? HttpCheckRequest.DefaultVersion,
        Headers,
        Body);
}
