using System.Diagnostics.CodeAnalysis;
using Appliance.Config.Model;
using Appliance.Config.Parsing;

namespace Appliance.Config.Keywords;

/// <summary>
/// <c>http-check send [meth M] [uri U] [ver V] [hdr NAME VALUE]… [body STRING] [comment MSG]</c>: the
/// parts of the check request it sets replace those of <c>option httpchk</c>. One request per check: a
/// second <c>send</c>, or one after an <c>expect</c>, would need a second exchange, which is refused.
/// </summary>
internal static class HttpCheckSendKeyword
{
    private static readonly string[] OptionNames = ["meth", "uri", "ver", "hdr", "body", "comment"];

    public static void Parse(KeywordLine line, ProxySection section)
    {
        var rules = HttpCheckKeywords.OwnRules(section, line);
        if (rules.SendLocation is { } first)
        {
            line.Error($"only one request per check is supported yet: 'http-check send' is already written at {first}");
            return;
        }
        if (rules.LastStep == HttpCheckStep.Expect)
        {
            line.Error("a second request per check is not supported yet: 'http-check send' must come before 'http-check expect'");
            return;
        }
        if (!TryReadParts(line, out var parts)) return;
        section.Settings = section.Settings with
        {
            HttpCheck = rules with { Request = parts.Over(rules.Request), SendLocation = line.Location, LastStep = HttpCheckStep.Send },
        };
    }

    private static bool TryReadParts(KeywordLine line, [NotNullWhen(true)] out HttpCheckRequestParts? parts)
    {
        parts = null;
        string? method = null, uri = null, version = null, body = null;
        var headers = new List<HttpCheckHeader>();
        for (int i = 0; i < line.ArgumentCount; i++)
        {
            string word = line.Argument(i);
            int values = word switch
            {
                "hdr" => 2,
                "meth" or "uri" or "ver" or "body" or "comment" or "uri-lf" or "body-lf" => 1,
                _ => -1,
            };
            if (values < 0)
            {
                line.Error(KeywordSuggestion.WithSuggestion(
                    $"unknown option '{word}' (expected meth, uri, ver, hdr, body or comment)", word, OptionNames));
                return false;
            }
            if (i + values >= line.ArgumentCount)
            {
                line.Error(values == 2 ? "'hdr' needs a name and a value" : $"'{word}' needs a value");
                return false;
            }
            string value = line.Argument(i + 1);
            switch (word)
            {
                case "uri-lf" or "body-lf":
                    line.Error($"option '{word}' is not supported yet (log-format expressions)");
                    return false;
                case "meth":
                    if (!HttpCheckText.IsToken(value))
                    {
                        line.Error($"invalid method '{value}' (expected a token such as GET, HEAD or OPTIONS)");
                        return false;
                    }
                    method = value;
                    break;
                case "uri":
                    if (!HttpCheckText.IsRequestTarget(value))
                    {
                        line.Error($"invalid URI '{value}' (spaces and control characters are not allowed)");
                        return false;
                    }
                    uri = value;
                    break;
                case "ver":
                    if (!HttpCheckText.IsVersion(value))
                    {
                        line.Error($"invalid HTTP version '{value}' (expected HTTP/1.0 or HTTP/1.1)");
                        return false;
                    }
                    version = value;
                    break;
                case "body":
                    body = value;
                    break;
                case "hdr":
                    if (!TryAddHeader(line, value, line.Argument(i + 2), headers)) return false;
                    break;
            }
            i += values;
        }
        parts = new HttpCheckRequestParts(method, uri, version, new ValueList<HttpCheckHeader>(headers), body);
        return true;
    }

    private static bool TryAddHeader(KeywordLine line, string name, string rawValue, List<HttpCheckHeader> headers)
    {
        if (!HttpCheckText.IsToken(name))
        {
            line.Error($"invalid header name '{name}'");
            return false;
        }
        if (!HttpCheckText.TryLiteralLogFormat(rawValue, out string value))
        {
            line.Error($"header '{name}': log-format expressions ('%') are not supported yet; write '%%' for a literal '%'");
            return false;
        }
        if (!HttpCheckText.IsFieldValue(value))
        {
            line.Error($"header '{name}': control characters are not allowed in a header value");
            return false;
        }
        if (name.Equals("content-length", StringComparison.OrdinalIgnoreCase) || name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase))
        {
            // As HAProxy: the check frames its body itself, so these would only contradict it.
            line.Warning($"header '{name}' ignored: the check sets the body length itself");
            return true;
        }
        if (name.Equals("host", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var earlier in headers)
            {
                if (earlier.Name.Equals("host", StringComparison.OrdinalIgnoreCase))
                {
                    line.Error($"header '{name}' is given twice (first value '{earlier.Value}')");
                    return false;
                }
            }
        }
        headers.Add(new HttpCheckHeader(name, value));
        return true;
    }
}
