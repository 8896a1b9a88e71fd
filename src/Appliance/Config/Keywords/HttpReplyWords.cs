using System.Globalization;
using Appliance.Config.Model;
using Appliance.Config.Values;

namespace Appliance.Config.Keywords;

/// <summary>
/// The reply options <c>deny</c> and <c>return</c> share (HAProxy's "http reply"): status, content
/// type, one source for the response (a string, a file, an error file or the proxy's error pages) and
/// extra headers. Files are read now, so the data path only copies prepared bytes.
/// </summary>
internal static class HttpReplyWords
{
    public const string ReturnSynopsis =
        "[status <code>] [content-type <type>] [string <str>|file <file>|errorfile <file>|default-errorfiles] [hdr <name> <value>]*";

    public const string DenySynopsis =
        "[deny_status|status <code>] [content-type <type>] [string <str>|file <file>|errorfile <file>|default-errorfiles] [hdr <name> <value>]*";

    public static HttpRuleAction? ParseDeny(RuleWords words) =>
        Parse(words, DenyAction.DefaultStatus, deny: true) is { } reply ? new DenyAction(reply) : null;

    public static HttpRuleAction? ParseReturn(RuleWords words) =>
        Parse(words, ReturnAction.DefaultStatus, deny: false) is { } reply ? new ReturnAction(reply) : null;

    private static HttpReplyConfig? Parse(RuleWords words, int defaultStatus, bool deny)
    {
        int status = defaultStatus;
        string? contentType = null;
        HttpReplyBodyKind kind = HttpReplyBodyKind.Empty;
        string? source = null;
        byte[] content = [];
        string? file = null;
        var headers = new List<HttpReplyHeader>();
        bool onlyDenyStatus = true;
        while (words.TryTakeOption(out string option))
        {
            if (option != "deny_status") onlyDenyStatus = false;
            switch (option)
            {
                case "status" or "deny_status" when option == "status" || deny:
                    if (!words.TryTakeValue(option, out string code) || !TryStatus(words, code, out status)) return null;
                    break;
                case "content-type":
                    if (!words.TryTakeValue(option, out string type)) return null;
                    if (!HeaderText.IsValue(type))
                    {
                        words.Error($"invalid character in content type '{type}'");
                        return null;
                    }
                    contentType = type;
                    break;
                case "default-errorfiles" or "errorfile" or "file" or "string":
                    if (source is not null)
                    {
                        words.Error($"unexpected '{option}': '{source}' already defines the response");
                        return null;
                    }
                    source = option;
                    if (option == "default-errorfiles")
                    {
                        kind = HttpReplyBodyKind.ProxyErrorPage;
                        break;
                    }
                    if (!words.TryTakeValue(option, out string value)) return null;
                    if (option == "string")
                    {
                        content = System.Text.Encoding.UTF8.GetBytes(value);
                        kind = HttpReplyBodyKind.Payload;
                        break;
                    }
                    byte[]? read = ReferencedFile.TryReadReply(words.Line.Location.File, value, out string? error);
                    if (read is null)
                    {
                        words.Error(error!);
                        return null;
                    }
                    content = read;
                    file = value;
                    kind = option == "file" ? HttpReplyBodyKind.Payload : HttpReplyBodyKind.ErrorFile;
                    break;
                case "hdr":
                    if (!words.TryTakeOption(out string name) || !words.TryTakeOption(out string headerValue))
                    {
                        words.Error($"'hdr' expects a name and a value; usage: {words.Usage}");
                        return null;
                    }
                    if (!HeaderText.IsName(name) || !HeaderText.IsValue(headerValue))
                    {
                        words.Error($"invalid header 'hdr {name} {headerValue}'");
                        return null;
                    }
                    // Sent as written: a log-format value would otherwise go out as its own text.
                    if (headerValue.Contains("%[", StringComparison.Ordinal))
                    {
                        words.Error($"'hdr {name}': log-format values are not supported yet in replies (write a literal value)");
                        return null;
                    }
                    // The reply's own framing and type are written from its payload (HAProxy ignores them too).
                    if (HeaderText.IsFraming(name) || name.Equals("content-type", StringComparison.OrdinalIgnoreCase))
                    {
                        words.Warning($"'hdr {name}' ignored: the reply sets it from its payload");
                        break;
                    }
                    headers.Add(new HttpReplyHeader(name, headerValue));
                    break;
                case "errorfiles" or "lf-file" or "lf-string":
                    words.Error($"'{option}' is not supported yet");
                    return null;
                default:
                    words.Error($"unexpected '{option}'; usage: {words.Usage}");
                    return null;
            }
        }

        // HAProxy: a deny with no option, or with only deny_status, sends the proxy's error page.
        if (deny && onlyDenyStatus) kind = HttpReplyBodyKind.ProxyErrorPage;
        switch (kind)
        {
            case HttpReplyBodyKind.ProxyErrorPage or HttpReplyBodyKind.ErrorFile:
                if (kind == HttpReplyBodyKind.ProxyErrorPage && !ErrorFileConfig.IsHandled(status))
                {
                    words.Error($"status code {status} has no error page (expected one of: {string.Join(", ", ErrorFileConfig.Statuses)})");
                    return null;
                }
                if (contentType is not null) words.Warning($"content-type '{contentType}' ignored: an error page is a whole response");
                if (headers.Count > 0) words.Warning("'hdr' ignored: an error page is a whole response");
                return new HttpReplyConfig(status, null, kind, new ValueList<byte>(content), ValueList<HttpReplyHeader>.Empty, file);
            case HttpReplyBodyKind.Payload when content.Length > 0:
                if (status is 204 or 304)
                {
                    words.Error($"a {status} response has no body");
                    return null;
                }
                if (contentType is null)
                {
                    words.Error("a non-empty payload needs its type: add 'content-type <type>'");
                    return null;
                }
                return new HttpReplyConfig(status, contentType, kind, new ValueList<byte>(content), new ValueList<HttpReplyHeader>(headers), file);
            default:
                if (contentType is not null) words.Warning($"content-type '{contentType}' ignored: the reply has no payload");
                return new HttpReplyConfig(status, null, HttpReplyBodyKind.Empty, ValueList<byte>.Empty, new ValueList<HttpReplyHeader>(headers), file);
        }
    }

    private static bool TryStatus(RuleWords words, string text, out int status)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out status))
        {
            words.Error($"invalid status code '{text}' (expected 200 to 599)");
            return false;
        }
        if (status is < 200 or > 599)
        {
            words.Error($"unexpected status code {status} (expected 200 to 599)");
            return false;
        }
        return true;
    }
}
