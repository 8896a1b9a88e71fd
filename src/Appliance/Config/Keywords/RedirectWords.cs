using System.Globalization;
using Appliance.Config.Model;
using Appliance.Config.Values;

namespace Appliance.Config.Keywords;

/// <summary>
/// <c>redirect location|prefix|scheme TARGET [code CODE] [drop-query] [append-slash] [ignore-empty]
/// [set-cookie NAME[=VALUE]] [clear-cookie NAME[=]]</c>, options in any order (HAProxy's redirect rule).
/// </summary>
internal static class RedirectWords
{
    public const string Synopsis =
        "location|prefix|scheme <target> [code 301|302|303|307|308] [drop-query] [append-slash] [ignore-empty] [set-cookie <name>[=<value>]] [clear-cookie <name>[=]]";

    public static HttpRuleAction? Parse(RuleWords words)
    {
        RedirectKind? kind = null;
        string target = "";
        int code = RedirectAction.DefaultCode;
        bool dropQuery = false, appendSlash = false, ignoreEmpty = false;
        string? cookie = null;
        while (words.TryTakeOption(out string option))
        {
            switch (option)
            {
                case "location" or "prefix" or "scheme":
                    if (kind is not null)
                    {
                        words.Error($"unexpected '{option}': the redirect already has a {Name(kind.Value)}");
                        return null;
                    }
                    if (!words.TryTakeValue(option, out target)) return null;
                    kind = option switch
                    {
                        "location" => RedirectKind.Location,
                        "prefix" => RedirectKind.Prefix,
                        _ => RedirectKind.Scheme,
                    };
                    break;
                case "code":
                    if (!words.TryTakeValue(option, out string text)) return null;
                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out code) || code is not (301 or 302 or 303 or 307 or 308))
                    {
                        words.Error($"unsupported redirect code '{text}' (expected 301, 302, 303, 307 or 308)");
                        return null;
                    }
                    break;
                case "drop-query":
                    dropQuery = true;
                    break;
                case "append-slash":
                    appendSlash = true;
                    break;
                case "ignore-empty":
                    ignoreEmpty = true;
                    break;
                case "set-cookie" or "clear-cookie":
                    if (!words.TryTakeValue(option, out string name)) return null;
                    if (!HeaderText.IsValue(name))
                    {
                        words.Error($"invalid character in cookie '{name}'");
                        return null;
                    }
                    // HAProxy's attributes: a session cookie for the whole site, or one that expires now.
                    cookie = option == "set-cookie" ? name + "; path=/;" : name + "; path=/; Max-Age=0;";
                    break;
                default:
                    words.Error($"unexpected '{option}' (expected location, prefix, scheme, code, drop-query, append-slash, ignore-empty, set-cookie or clear-cookie)");
                    return null;
            }
        }
        if (kind is null)
        {
            words.Error($"missing 'location', 'prefix' or 'scheme'; usage: {words.Usage}");
            return null;
        }
        return new RedirectAction(kind.Value, target, code, dropQuery, appendSlash, ignoreEmpty, cookie);
    }

    private static string Name(RedirectKind kind) => kind switch
    {
        RedirectKind.Location => "location",
        RedirectKind.Prefix => "prefix",
        _ => "scheme",
    };
}
