using System.Text;

namespace Appliance.Routing.Patterns;

/// <summary>
/// How configuration text becomes the bytes routing compares with requests. Configuration words,
/// pattern and map files, map entries set at run time and backend names are all UTF-8 text, so a
/// pattern is the UTF-8 encoding of its word and matches the same bytes on the wire, as in HAProxy
/// (which compares raw bytes). Regexes run over the request bytes seen as Latin-1 characters (one
/// char per byte), so a regex's own text is turned into that same byte view: non-ASCII characters
/// match their UTF-8 byte sequences, the byte semantics of HAProxy's PCRE without UTF mode.
/// </summary>
internal static class RoutingText
{
    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The text of a regex as it must be compiled to run over request bytes.</summary>
    public static string RegexSource(string text)
    {
        foreach (char c in text)
        {
            if (c > 0x7f) return Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));
        }
        return text;
    }
}
