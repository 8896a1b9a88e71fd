using System.Globalization;
using Appliance.Routing.Patterns;

namespace Appliance.Routing.Samples;

/// <summary>
/// The sample fetch keywords this proxy implements, in both of HAProxy's contexts: ACL criteria
/// (including the derived forms <c>path_beg</c>, <c>hdr_dom(host)</c>, …, which imply a matching
/// method) and sample expressions (<c>%[req.hdr(host)]</c>, where header fetches default to the last
/// occurrence). Response fetches (<c>status</c>, <c>res.hdr</c>, <c>shdr</c>) serve <c>http-response</c>
/// rules; <c>hdr</c> reads whichever message a rule evaluates.
/// </summary>
internal static class FetchKeywords
{
    private static readonly (string Suffix, MatchMethod Method)[] DerivedSuffixes =
    [
        ("", MatchMethod.Str), ("_beg", MatchMethod.Beg), ("_dir", MatchMethod.Dir), ("_dom", MatchMethod.Dom),
        ("_end", MatchMethod.End), ("_len", MatchMethod.Len), ("_reg", MatchMethod.Reg), ("_sub", MatchMethod.Sub),
    ];

    /// <summary>Resolves an ACL criterion (<c>path_beg</c>, <c>hdr(host)</c>, <c>src</c>, …).</summary>
    public static FetchDefinition? TryCreateForAcl(SampleCall call, out string? error)
    {
        error = null;
        string name = call.Name;
        switch (name)
        {
            case "query":
                return NoArguments(call, out error) ? new FetchDefinition(RequestPartFetch.Query, MatchMethod.Str) : null;
            case "method":
                return NoArguments(call, out error) ? new FetchDefinition(RequestPartFetch.Method, MatchMethod.Str, IgnoreCase: true) : null;
            case "src":
                return NoArguments(call, out error) ? new FetchDefinition(SourceAddressFetch.Instance, MatchMethod.Ip) : null;
            case "always_true":
                return NoArguments(call, out error) ? new FetchDefinition(ConstantFetch.True, MatchMethod.Bool) : null;
            case "always_false":
                return NoArguments(call, out error) ? new FetchDefinition(ConstantFetch.False, MatchMethod.Bool) : null;
            case "status":
                return NoArguments(call, out error) ? new FetchDefinition(StatusFetch.Instance, MatchMethod.Int) : null;
            case "hdr_cnt" or "req.hdr_cnt" or "req.fhdr_cnt" or "res.hdr_cnt" or "res.fhdr_cnt" or "shdr_cnt":
                if (call.Arguments.Length > 1)
                {
                    error = $"fetch '{name}' takes at most 1 argument";
                    return null;
                }
                return new FetchDefinition(
                    new HeaderCountFetch(name, HeaderName(call), splitCommas: !name.Contains("fhdr", StringComparison.Ordinal), HeaderScope(name)),
                    MatchMethod.Int);
            case "req.hdr" or "req.fhdr" or "res.hdr" or "res.fhdr":
                return Header(call, name, !name.Contains("fhdr", StringComparison.Ordinal), MatchMethod.Str, sampleContext: false, out error);
        }
        foreach (var (suffix, method) in DerivedSuffixes)
        {
            if (!name.EndsWith(suffix, StringComparison.Ordinal)) continue;
            string stem = name[..^suffix.Length];
            switch (stem)
            {
                case "path":
                    return NoArguments(call, out error) ? new FetchDefinition(RequestPartFetch.Path, method) : null;
                case "url":
                    return NoArguments(call, out error) ? new FetchDefinition(RequestPartFetch.Url, method) : null;
                case "base":
                    return NoArguments(call, out error) ? new FetchDefinition(BaseFetch.Instance, method) : null;
                case "hdr" or "shdr":
                    return Header(call, name, splitCommas: true, method, sampleContext: false, out error);
            }
        }
        error = $"unknown fetch method '{name}'";
        return null;
    }

    /// <summary>
    /// Resolves the fetch of a sample expression; only string fetches make sense in a backend name.
    /// <paramref name="forRules"/> also offers what rule values may use: <c>src</c> (as text) and the
    /// response headers.
    /// </summary>
    public static SampleFetch? TryCreateForSample(SampleCall call, out string? error, bool forRules = false)
    {
        error = null;
        if (forRules)
        {
            switch (call.Name)
            {
                case "src":
                    return NoArguments(call, out error) ? SourceAddressFetch.Instance : null;
                case "res.hdr" or "res.fhdr" or "shdr":
                    return Header(call, call.Name, call.Name != "res.fhdr", MatchMethod.Str, sampleContext: true, out error)?.Fetch;
            }
        }
        switch (call.Name)
        {
            case "path":
                return NoArguments(call, out error) ? RequestPartFetch.Path : null;
            case "url":
                return NoArguments(call, out error) ? RequestPartFetch.Url : null;
            case "query":
                return NoArguments(call, out error) ? RequestPartFetch.Query : null;
            case "method":
                return NoArguments(call, out error) ? RequestPartFetch.Method : null;
            case "base":
                return NoArguments(call, out error) ? BaseFetch.Instance : null;
            case "hdr" or "req.hdr" or "req.fhdr":
                return Header(call, call.Name, call.Name != "req.fhdr", MatchMethod.Str, sampleContext: true, out error)?.Fetch;
            default:
                error = forRules
                    ? $"unknown or unsupported fetch method '{call.Name}' (supported: src, path, url, query, method, base, hdr, req.hdr, req.fhdr, res.hdr, res.fhdr, shdr)"
                    : $"unknown or unsupported fetch method '{call.Name}' in a backend name (supported: path, url, query, method, base, hdr, req.hdr, req.fhdr)";
                return null;
        }
    }

    private static FetchDefinition? Header(SampleCall call, string keyword, bool splitCommas, MatchMethod method, bool sampleContext, out string? error)
    {
        error = null;
        if (call.Arguments.Length > 2)
        {
            error = $"fetch '{keyword}' takes at most 2 arguments";
            return null;
        }
        // ACLs try every value unless told which; sample expressions take the last one.
        int occurrence = sampleContext ? -1 : 0;
        if (call.Arguments.Length == 2)
        {
            if (!int.TryParse(call.Arguments[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out occurrence))
            {
                error = $"invalid occurrence '{call.Arguments[1]}' for fetch '{keyword}'";
                return null;
            }
            if (occurrence == 0 && sampleContext) occurrence = -1;
        }
        return new FetchDefinition(new HeaderFetch(keyword, HeaderName(call), occurrence, splitCommas, HeaderScope(keyword)), method);
    }

    /// <summary>
    /// <c>req.*</c> reads the request, <c>res.*</c> and <c>shdr*</c> the response, and the plain
    /// <c>hdr*</c> forms whichever message is being evaluated.
    /// </summary>
    private static SampleScope HeaderScope(string keyword) =>
        keyword.StartsWith("req.", StringComparison.Ordinal) ? SampleScope.Request
        : keyword.StartsWith("res.", StringComparison.Ordinal) || keyword.StartsWith("shdr", StringComparison.Ordinal) ? SampleScope.Response
        : SampleScope.Request | SampleScope.Response;

    private static byte[] HeaderName(SampleCall call) =>
        call.Arguments.Length == 0 ? [] : RoutingText.Bytes(call.Arguments[0]);

    private static bool NoArguments(SampleCall call, out string? error)
    {
        error = call.Arguments.Length == 0 ? null : $"fetch '{call.Name}' takes no argument";
        return error is null;
    }
}
