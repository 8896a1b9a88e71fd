using Appliance.Routing.Patterns;
using Appliance.Routing.Samples;

namespace Appliance.Routing;

/// <summary>
/// The backend name of a dynamic <c>use_backend</c>: HAProxy log-format text made of literal parts
/// and <c>%[sample expression]</c> parts (<c>%%</c> is a literal '%'). Evaluated per request into
/// the shard's scratch buffer and looked up as bytes in the <see cref="BackendDirectory"/>.
/// </summary>
internal sealed class BackendNameTemplate
{
    private readonly byte[]?[] _literals;
    private readonly SampleExpression?[] _expressions;

    private BackendNameTemplate(byte[]?[] literals, SampleExpression?[] expressions)
    {
        _literals = literals;
        _expressions = expressions;
    }

    /// <summary>
    /// Splits <paramref name="text"/> into parts; each <c>%[…]</c> body goes through
    /// <paramref name="compileExpression"/> (which reports its own errors and returns null).
    /// </summary>
    public static BackendNameTemplate? TryParse(string text, Func<string, SampleExpression?> compileExpression, out string? error)
    {
        error = null;
        var literals = new List<byte[]?>();
        var expressions = new List<SampleExpression?>();
        var literal = new System.Text.StringBuilder();
        bool failed = false;
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
            if (i + 1 >= text.Length || text[i + 1] != '[')
            {
                error = $"unsupported log-format element at '{text[i..]}' in backend name '{text}' (only %[…] sample expressions are supported)";
                return null;
            }
            // Find the ']' closing this expression, skipping any inside parentheses (converter arguments).
            int depth = 0;
            int close = -1;
            for (int j = i + 2; j < text.Length; j++)
            {
                if (text[j] == '(') depth++;
                else if (text[j] == ')') depth--;
                else if (text[j] == ']' && depth <= 0)
                {
                    close = j;
                    break;
                }
            }
            if (close < 0)
            {
                error = $"missing ']' in backend name '{text}'";
                return null;
            }
            if (literal.Length > 0)
            {
                literals.Add(RoutingText.Bytes(literal.ToString()));
                expressions.Add(null);
                literal.Clear();
            }
            SampleExpression? expression = compileExpression(text[(i + 2)..close]);
            failed |= expression is null;
            literals.Add(null);
            expressions.Add(expression);
            i = close + 1;
        }
        if (literal.Length > 0)
        {
            literals.Add(RoutingText.Bytes(literal.ToString()));
            expressions.Add(null);
        }
        return failed ? null : new BackendNameTemplate([.. literals], [.. expressions]);
    }

    /// <summary>
    /// The backend index the name resolves to, or -1 when a sample is missing or no backend has that
    /// name. Allocation-free.
    /// </summary>
    public int Resolve(IRequestView request, BackendDirectory backends)
    {
        // The common "%[expr]" alone needs no assembling.
        if (_expressions.Length == 1 && _expressions[0] is { } only)
        {
            return only.TryEvaluate(request, out ReadOnlySpan<byte> name) ? backends.Find(name) : -1;
        }
        byte[] buffer = SampleScratch.NameBuffer(256);
        int length = 0;
        for (int i = 0; i < _expressions.Length; i++)
        {
            ReadOnlySpan<byte> part;
            if (_expressions[i] is { } expression)
            {
                if (!expression.TryEvaluate(request, out part)) return -1;
            }
            else
            {
                part = _literals[i];
            }
            if (length + part.Length > buffer.Length) buffer = SampleScratch.NameBuffer(length + part.Length);
            part.CopyTo(buffer.AsSpan(length));
            length += part.Length;
        }
        return backends.Find(buffer.AsSpan(0, length));
    }
}
