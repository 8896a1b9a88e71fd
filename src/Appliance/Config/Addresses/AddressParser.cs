using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Appliance.Config.Addresses;

/// <summary>
/// Reads HAProxy's TCP address forms: <c>ADDR:PORT</c> where ADDR is IPv4, <c>[IPv6]</c>, a bare IPv6 whose
/// last colon starts the port (<c>:::80</c>, <c>::1:80</c>), or <c>localhost</c>; bind addresses also accept an
/// empty ADDR or <c>*</c> (any IPv4 address). Optional family prefixes <c>ipv4@</c>, <c>ipv6@</c>,
/// <c>tcp@</c>, <c>tcp4@</c>, <c>tcp6@</c> are understood. Other names are refused rather than resolved:
/// resolving at load time would make a reload depend on DNS.
/// </summary>
internal static class AddressParser
{
    /// <summary>A <c>bind</c> word, possibly several comma-separated addresses.</summary>
    public static bool TryParseBindList(string text, out List<IPEndPoint> endPoints, out string error)
    {
        endPoints = new List<IPEndPoint>();
        error = string.Empty;
        foreach (var part in text.Split(','))
        {
            if (!TryParse(part, isBind: true, out var endPoint, out error)) return false;
            endPoints.Add(endPoint);
        }
        return true;
    }

    /// <summary>A <c>server</c> address: a port is required and ADDR may not be empty or <c>*</c>.</summary>
    public static bool TryParseServer(string text, out IPEndPoint endPoint, out string error) =>
        TryParse(text, isBind: false, out endPoint, out error);

    private static bool TryParse(string text, bool isBind, out IPEndPoint endPoint, out string error)
    {
        endPoint = null!;
        error = string.Empty;
        if (text.Length == 0)
        {
            error = "empty address";
            return false;
        }
        if (!TryStripPrefix(text, out string rest, out AddressFamily? family, out error)) return false;
        if (!TrySplitHostPort(rest, text, out string host, out string port, out error)) return false;
        if (!TryParsePort(port, text, out int portNumber, out error)) return false;
        if (!TryParseHost(host, text, isBind, family, out IPAddress address, out error)) return false;
        endPoint = new IPEndPoint(address, portNumber);
        return true;
    }

    private static bool TryStripPrefix(string text, out string rest, out AddressFamily? family, out string error)
    {
        rest = text;
        family = null;
        error = string.Empty;
        if (text.StartsWith('/'))
        {
            error = $"'{text}': Unix socket addresses are not supported yet";
            return false;
        }
        int at = text.IndexOf('@');
        if (at < 0) return true;
        string prefix = text[..at];
        rest = text[(at + 1)..];
        switch (prefix)
        {
            case "ipv4" or "tcp4":
                family = AddressFamily.InterNetwork;
                return true;
            case "ipv6" or "tcp6":
                family = AddressFamily.InterNetworkV6;
                return true;
            case "tcp":
                return true;
            default:
                error = $"'{text}': address prefix '{prefix}@' is not supported (only TCP addresses are)";
                return false;
        }
    }

    private static bool TrySplitHostPort(string text, string original, out string host, out string port, out string error)
    {
        host = port = string.Empty;
        error = string.Empty;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']');
            if (close < 0)
            {
                error = $"'{original}': missing ']' after IPv6 address";
                return false;
            }
            host = text[1..close];
            if (close + 1 >= text.Length || text[close + 1] != ':')
            {
                error = $"'{original}': missing port (expected ADDR:PORT)";
                return false;
            }
            port = text[(close + 2)..];
            return true;
        }
        // Without brackets the last colon separates the port, which is how HAProxy reads ':::80'.
        int colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            error = $"'{original}': missing port (expected ADDR:PORT)";
            return false;
        }
        host = text[..colon];
        port = text[(colon + 1)..];
        return true;
    }

    private static bool TryParsePort(string port, string original, out int number, out string error)
    {
        number = 0;
        error = string.Empty;
        if (port.Length == 0)
        {
            error = $"'{original}': missing port (expected ADDR:PORT)";
            return false;
        }
        if (port.Contains('-'))
        {
            error = $"'{original}': port ranges are not supported yet (use one port per address)";
            return false;
        }
        if (!IsAllDigits(port) || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out number)
            || number < 1 || number > 65535)
        {
            error = $"'{original}': invalid port '{port}' (must be 1..65535)";
            return false;
        }
        return true;
    }

    private static bool TryParseHost(string host, string original, bool isBind, AddressFamily? family, out IPAddress address, out string error)
    {
        address = IPAddress.Any;
        error = string.Empty;
        if (host.Length == 0 || host == "*")
        {
            if (!isBind)
            {
                error = $"'{original}': a server needs an address, not '{host}'";
                return false;
            }
            address = family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
            return true;
        }
        if (host == "localhost")
        {
            address = family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
            return true;
        }
        if (!IPAddress.TryParse(host, out var parsed) || !LooksLikeIpAddress(host))
        {
            error = IsIpAddressAlphabet(host)
                ? $"'{original}': invalid IP address '{host}'"
                : $"'{original}': hostname resolution not supported, use an IP address";
            return false;
        }
        if (family is not null && parsed.AddressFamily != family)
        {
            error = $"'{original}': address '{host}' does not match its prefix's address family";
            return false;
        }
        address = parsed;
        return true;
    }

    /// <summary>
    /// IPAddress.TryParse also accepts forms like "1" or "0x7f.1" and IPv6 scope names; HAProxy's config wants
    /// dotted quads or IPv6 text, so anything else is treated as a hostname.
    /// </summary>
    private static bool LooksLikeIpAddress(string host)
    {
        if (host.Contains(':')) return !host.Contains('%');
        int dots = 0;
        foreach (char c in host)
        {
            if (c == '.') dots++;
            else if (!char.IsAsciiDigit(c)) return false;
        }
        return dots == 3;
    }

    /// <summary>Only digits, dots and colons (plus hex digits when colons are present): a mistyped address, not a name.</summary>
    private static bool IsIpAddressAlphabet(string host)
    {
        bool hasColon = host.Contains(':');
        foreach (char c in host)
        {
            if (char.IsAsciiDigit(c) || c == '.' || c == ':') continue;
            if (hasColon && char.IsAsciiHexDigit(c)) continue;
            return false;
        }
        return true;
    }

    private static bool IsAllDigits(string text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        return true;
    }
}
