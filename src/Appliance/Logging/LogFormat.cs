using System.Text;

namespace Appliance.Logging;

/// <summary>
/// A compiled <c>log-format</c> string: literal text and <c>%</c> variables (HAProxy's names; <c>%{+Q}</c>
/// quotes a text value, <c>%%</c> is a percent sign). The <c>option httplog</c> and <c>option tcplog</c> lines
/// are HAProxy's own format strings compiled the same way. Immutable; writing a line allocates nothing.
/// </summary>
internal sealed class LogFormat
{
    /// <summary>HAProxy's httplog format, without <c>%hr %hs</c> (they print nothing when no header is captured).</summary>
    public const string HttpLog = "%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %{+Q}r";

    /// <summary>HAProxy's tcplog format.</summary>
    public const string TcpLog = "%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq";

    private static readonly Dictionary<string, LogVariable> Names = new(StringComparer.Ordinal)
    {
        ["ci"] = LogVariable.ClientIp,
        ["cp"] = LogVariable.ClientPort,
        ["fi"] = LogVariable.FrontendIp,
        ["fp"] = LogVariable.FrontendPort,
        ["f"] = LogVariable.FrontendName,
        ["ft"] = LogVariable.FrontendName,
        ["b"] = LogVariable.BackendName,
        ["s"] = LogVariable.ServerName,
        ["t"] = LogVariable.AcceptDate,
        ["tr"] = LogVariable.RequestDate,
        ["Ts"] = LogVariable.AcceptTimestamp,
        ["T"] = LogVariable.GmtAcceptDate,
        ["TR"] = LogVariable.TimeToRequest,
        ["Tw"] = LogVariable.TimeWaited,
        ["Tc"] = LogVariable.TimeToConnect,
        ["Tr"] = LogVariable.TimeToResponse,
        ["Ta"] = LogVariable.TimeActive,
        ["Tt"] = LogVariable.TimeTotal,
        ["Tq"] = LogVariable.TimeQueued,
        ["ST"] = LogVariable.Status,
        ["B"] = LogVariable.BytesRead,
        ["CC"] = LogVariable.CapturedCookie,
        ["CS"] = LogVariable.CapturedCookie,
        ["ts"] = LogVariable.TerminationState,
        ["tsc"] = LogVariable.TerminationStateWithCookie,
        ["ac"] = LogVariable.ProcessConnections,
        ["fc"] = LogVariable.FrontendConnections,
        ["bc"] = LogVariable.BackendConnections,
        ["sc"] = LogVariable.ServerConnections,
        ["rc"] = LogVariable.Retries,
        ["sq"] = LogVariable.ServerQueue,
        ["bq"] = LogVariable.BackendQueue,
        ["r"] = LogVariable.RequestLine,
        ["HM"] = LogVariable.Method,
        ["HU"] = LogVariable.Uri,
        ["HV"] = LogVariable.Version,
        ["pid"] = LogVariable.Pid,
        ["H"] = LogVariable.Hostname,
        ["m"] = LogVariable.Mode,
    };

    private static readonly byte[] Hostname = Encoding.UTF8.GetBytes(Environment.MachineName);

    private readonly Node[] _nodes;

    private LogFormat(Node[] nodes)
    {
        _nodes = nodes;
        foreach (Node node in nodes) NeedsLocalAddress |= node.Variable is LogVariable.FrontendIp or LogVariable.FrontendPort;
    }

    /// <summary>The format shows the address the client connected to (a getsockname per line).</summary>
    public bool NeedsLocalAddress { get; }

    public static LogFormat Http { get; } = Parse(HttpLog, out _)!;

    public static LogFormat Tcp { get; } = Parse(TcpLog, out _)!;

    /// <summary>Compiles <paramref name="text"/>; null with <paramref name="error"/> for an unknown variable or flag.</summary>
    public static LogFormat? Parse(string text, out string? error)
    {
        error = null;
        var nodes = new List<Node>();
        var literal = new StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c != '%')
            {
                literal.Append(c);
                i++;
                continue;
            }
            if (i + 1 < text.Length && text[i + 1] == '%')
            {
                literal.Append('%');
                i += 2;
                continue;
            }
            i++;
            bool quote = false;
            if (i < text.Length && text[i] == '{')
            {
                int close = text.IndexOf('}', i);
                if (close < 0)
                {
                    error = $"missing '}}' after '%{{' at position {i}";
                    return null;
                }
                foreach (string flag in text[(i + 1)..close].Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (flag == "+Q") quote = true;
                    else if (flag == "-Q") quote = false;
                    else
                    {
                        error = $"log-format flag '{flag}' is not supported (only +Q and -Q)";
                        return null;
                    }
                }
                i = close + 1;
            }
            if (i < text.Length && text[i] == '[')
            {
                error = "sample fetches (%[...]) in log-format are not supported yet";
                return null;
            }
            int start = i;
            while (i < text.Length && char.IsAsciiLetter(text[i])) i++;
            string name = text[start..i];
            if (!Names.TryGetValue(name, out LogVariable variable))
            {
                error = name.Length == 0 ? $"'%' at position {start - 1} is not followed by a variable name" : $"unknown or unsupported log-format variable '%{name}'";
                return null;
            }
            if (literal.Length > 0)
            {
                nodes.Add(Node.Text(literal.ToString()));
                literal.Clear();
            }
            nodes.Add(new Node(null, variable, quote));
        }
        if (literal.Length > 0) nodes.Add(Node.Text(literal.ToString()));
        return new LogFormat([.. nodes]);
    }

    public void Write(ref LogLineWriter line, in LogFields fields)
    {
        foreach (Node node in _nodes)
        {
            if (node.Literal is { } literal)
            {
                line.Append(literal);
                continue;
            }
            WriteVariable(ref line, node.Variable, node.Quote, fields);
        }
    }

    private static void WriteVariable(ref LogLineWriter line, LogVariable variable, bool quote, in LogFields f)
    {
        switch (variable)
        {
            case LogVariable.ClientIp: line.AppendAddress(f.Client, withPort: false); break;
            case LogVariable.ClientPort: line.AppendPort(f.Client); break;
            case LogVariable.FrontendIp: line.AppendAddress(f.Local, withPort: false); break;
            case LogVariable.FrontendPort: line.AppendPort(f.Local); break;
            case LogVariable.FrontendName: Text(ref line, f.Frontend, quote); break;
            case LogVariable.BackendName: Text(ref line, f.Backend ?? f.Frontend, quote); break;
            case LogVariable.ServerName: Text(ref line, f.Server ?? "<NOSRV>", quote); break;
            case LogVariable.AcceptDate: line.AppendDate(f.AcceptDate); break;
            case LogVariable.RequestDate: line.AppendDate(f.RequestDate); break;
            case LogVariable.AcceptTimestamp: line.Append(new DateTimeOffset(f.AcceptDate).ToUnixTimeSeconds()); break;
            case LogVariable.GmtAcceptDate: line.AppendGmtDate(f.AcceptDate.ToUniversalTime()); break;
            case LogVariable.TimeToRequest: line.Append(f.TR); break;
            case LogVariable.TimeWaited: line.Append(f.Tw); break;
            case LogVariable.TimeToConnect: line.Append(f.Tc); break;
            case LogVariable.TimeToResponse: line.Append(f.Tr); break;
            case LogVariable.TimeActive: line.Append(f.Ta); break;
            case LogVariable.TimeTotal: line.Append(f.Tt); break;
            // Tq = Th + Ti + TR: no handshake or idle time is measured apart from the request's.
            case LogVariable.TimeQueued: line.Append(f.TR); break;
            case LogVariable.Status: line.Append(f.Status); break;
            case LogVariable.BytesRead: line.Append(f.Bytes); break;
            case LogVariable.CapturedCookie: line.Append((byte)'-'); break;
            case LogVariable.TerminationState:
                line.Append(f.Cause);
                line.Append(f.Phase);
                break;
            case LogVariable.TerminationStateWithCookie:
                line.Append(f.Cause);
                line.Append(f.Phase);
                line.Append("--"u8);
                break;
            case LogVariable.ProcessConnections: line.Append(f.ProcessConnections); break;
            case LogVariable.FrontendConnections: line.Append(f.FrontendConnections); break;
            case LogVariable.BackendConnections: line.Append(f.BackendConnections); break;
            case LogVariable.ServerConnections: line.Append(f.ServerConnections); break;
            case LogVariable.Retries:
                if (f.Redispatched) line.Append((byte)'+');
                line.Append(f.Retries);
                break;
            // Queue positions are not tracked.
            case LogVariable.ServerQueue or LogVariable.BackendQueue: line.Append((byte)'0'); break;
            case LogVariable.RequestLine: Bytes(ref line, f.RequestLine.IsEmpty ? "<BADREQ>"u8 : f.RequestLine, quote); break;
            case LogVariable.Method: Bytes(ref line, Word(f.RequestLine, 0), quote); break;
            case LogVariable.Uri: Bytes(ref line, Word(f.RequestLine, 1), quote); break;
            case LogVariable.Version: Bytes(ref line, Word(f.RequestLine, 2), quote); break;
            case LogVariable.Pid: line.Append(Environment.ProcessId); break;
            case LogVariable.Hostname: Bytes(ref line, Hostname, quote); break;
            case LogVariable.Mode: Text(ref line, f.Mode, quote); break;
        }
    }

    private static void Text(ref LogLineWriter line, string text, bool quote)
    {
        if (quote) line.Append((byte)'"');
        line.Append(text);
        if (quote) line.Append((byte)'"');
    }

    private static void Bytes(ref LogLineWriter line, ReadOnlySpan<byte> text, bool quote)
    {
        if (quote) line.AppendQuoted(text);
        else line.Append(text);
    }

    /// <summary>The <paramref name="index"/>th space-separated word of a request line ("-" when absent).</summary>
    private static ReadOnlySpan<byte> Word(ReadOnlySpan<byte> requestLine, int index)
    {
        ReadOnlySpan<byte> rest = requestLine;
        for (int i = 0; i < index; i++)
        {
            int space = rest.IndexOf((byte)' ');
            if (space < 0) return "-"u8;
            rest = rest[(space + 1)..];
        }
        int end = rest.IndexOf((byte)' ');
        ReadOnlySpan<byte> word = end < 0 ? rest : rest[..end];
        return word.IsEmpty ? "-"u8 : word;
    }

    private readonly record struct Node(byte[]? Literal, LogVariable Variable, bool Quote)
    {
        public static Node Text(string text) => new(Encoding.UTF8.GetBytes(text), default, false);
    }
}
