namespace Appliance.Routing.Acls;

/// <summary>
/// HAProxy's predefined ACLs usable without declaration (a frontend's own ACL of the same name takes
/// precedence). Only those whose fetches exist here are provided.
/// </summary>
internal static class PredefinedAcls
{
    private static readonly Dictionary<string, (string Fetch, string[] Arguments)> Definitions = new(StringComparer.Ordinal)
    {
        ["TRUE"] = ("always_true", []),
        ["FALSE"] = ("always_false", []),
        ["LOCALHOST"] = ("src", ["127.0.0.1/8", "::1"]),
        ["HTTP_URL_ABS"] = ("url_reg", ["^[^/:]*://"]),
        ["HTTP_URL_SLASH"] = ("url_beg", ["/"]),
        ["HTTP_URL_STAR"] = ("url", ["*"]),
        ["METH_CONNECT"] = ("method", ["CONNECT"]),
        ["METH_DELETE"] = ("method", ["DELETE"]),
        ["METH_GET"] = ("method", ["GET", "HEAD"]),
        ["METH_HEAD"] = ("method", ["HEAD"]),
        ["METH_OPTIONS"] = ("method", ["OPTIONS"]),
        ["METH_POST"] = ("method", ["POST"]),
        ["METH_PUT"] = ("method", ["PUT"]),
        ["METH_TRACE"] = ("method", ["TRACE"]),
    };

    public static bool TryGetDefinition(string name, out string fetch, out string[] arguments)
    {
        bool found = Definitions.TryGetValue(name, out var definition);
        (fetch, arguments) = found ? definition : ("", []);
        return found;
    }
}
