using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Appliance.Config.Model;
using Appliance.Config.Parsing;
using Appliance.Config.Values;

namespace Appliance.Config.Keywords;

/// <summary>
/// <c>http-check expect [comment MSG] [!] MATCH PATTERN</c> with MATCH one of <c>status</c> (codes and
/// ranges), <c>rstatus</c>, <c>string</c> or <c>rstring</c>. <c>!</c> may stand alone or prefix the match
/// (<c>!string</c>). Every expectation of a backend must hold, in order. HAProxy's other expect options
/// (header matches, log-format patterns, custom statuses and messages) are refused rather than ignored,
/// since ignoring them would change which servers are UP.
/// </summary>
internal static class HttpCheckExpectKeyword
{
    private const string Usage = "[!] status <codes>, rstatus <regex>, string <text> or rstring <regex>";

    private static readonly string[] Words = ["status", "rstatus", "string", "rstring", "comment"];

    public static void Parse(KeywordLine line, ProxySection section)
    {
        var rules = HttpCheckKeywords.OwnRules(section, line);
        if (!TryRead(line, out var expectation)) return;
        section.Settings = section.Settings with
        {
            HttpCheck = rules with { Expectations = new ValueList<HttpCheckExpectation>([.. rules.Expectations, expectation]), LastStep = HttpCheckStep.Expect },
        };
    }

    private static bool TryRead(KeywordLine line, [NotNullWhen(true)] out HttpCheckExpectation? expectation)
    {
        expectation = null;
        bool inverted = false, negationPending = false;
        HttpCheckMatch? match = null;
        string pattern = "";
        for (int i = 0; i < line.ArgumentCount; i++)
        {
            string word = line.Argument(i);
            while (word.StartsWith('!'))
            {
                inverted = !inverted;
                negationPending = true;
                word = word[1..];
            }
            if (word.Length == 0) continue;
            if (negationPending && (match is not null || word == "comment"))
            {
                line.Error($"'!' applies to the match only; it cannot precede '{word}'");
                return false;
            }
            switch (word)
            {
                case "status" or "rstatus" or "string" or "rstring" or "comment" when i + 1 >= line.ArgumentCount:
                    line.Error($"'{word}' needs a value");
                    return false;
                case "comment":
                    i++;
                    break;
                case "status" or "rstatus" or "string" or "rstring":
                    if (match is not null)
                    {
                        line.Error($"only one match per line: '{word}' follows another match");
                        return false;
                    }
                    match = word switch
                    {
                        "status" => HttpCheckMatch.StatusCodes,
                        "rstatus" => HttpCheckMatch.StatusRegex,
                        "string" => HttpCheckMatch.BodyText,
                        _ => HttpCheckMatch.BodyRegex,
                    };
                    pattern = line.Argument(++i);
                    negationPending = false;
                    break;
                case "min-recv" or "ok-status" or "error-status" or "tout-status" or "on-success" or "on-error" or "status-code":
                    line.Error($"option '{word}' is not supported yet");
                    return false;
                case "hdr" or "fhdr" or "string-lf":
                    line.Error($"match '{word}' is not supported yet (supported: {Usage})");
                    return false;
                default:
                    line.Error(KeywordSuggestion.WithSuggestion($"unexpected '{word}' (expected {Usage})", word, Words));
                    return false;
            }
        }
        if (match is not { } kind)
        {
            line.Error($"missing match (expected {Usage})");
            return false;
        }
        if (negationPending)
        {
            line.Error("'!' must come before the match it inverts");
            return false;
        }
        if (!TryCheckPattern(line, kind, pattern, out var codes)) return false;
        expectation = new HttpCheckExpectation(kind, pattern, inverted, codes);
        return true;
    }

    private static bool TryCheckPattern(KeywordLine line, HttpCheckMatch match, string pattern, out ValueList<StatusCodeRange> codes)
    {
        codes = ValueList<StatusCodeRange>.Empty;
        switch (match)
        {
            case HttpCheckMatch.StatusCodes:
                if (StatusCodeList.TryParse(pattern, out codes, out string error)) return true;
                line.Error(error);
                return false;
            case HttpCheckMatch.StatusRegex or HttpCheckMatch.BodyRegex:
                try
                {
                    _ = new Regex(pattern, RegexOptions.CultureInvariant);
                    return true;
                }
                catch (ArgumentException e)
                {
                    line.Error($"invalid regular expression '{pattern}': {e.Message}");
                    return false;
                }
            default:
                if (pattern.Length > 0) return true;
                line.Error("'string' needs a non-empty text");
                return false;
        }
    }
}
