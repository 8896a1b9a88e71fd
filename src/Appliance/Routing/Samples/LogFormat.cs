using Appliance.Routing.Patterns;

namespace Appliance.Routing.Samples;

/// <summary>
/// HAProxy log-format text as this proxy supports it: literal text, <c>%%</c> for a literal '%', and
/// <c>%[FETCH,CONVERTER…]</c> sample expressions. Used for dynamic backend names and for rule values
/// (header values, paths, redirect targets). Immutable; evaluated on any shard into the shard's scratch
/// buffer without allocating.
/// </summary>
internal sealed class LogFormat
{
    private readonly byte[]?[] _literals;
    private readonly SampleExpression?[] _expressions;

    private LogFormat(byte[]?[] literals, SampleExpression?[] expressions)
    {
        _literals = literals;
        _expressions = expressions;
        var constant = new List<byte>();
        foreach (byte[]? literal in literals) constant.AddRange(literal ?? []);
        IsConstant = Array.TrueForAll(expressions, e => e is null);
        Constant = IsConstant ? [.. constant] : [];
    }

    /// <summary>No sample expression: the value is <see cref="Constant"/>.</summary>
    public bool IsConstant { get; }

    /// <summary>The text when <see cref="IsConstant"/>, as UTF-8 bytes; empty otherwise.</summary>
    public byte[] Constant { get; }

    /// <summary>The sample expressions, in order (to check what they read).</summary>
    public IEnumerable<SampleExpression> Expressions
    {
        get
        {
            foreach (SampleExpression? expression in _expressions)
            {
                if (expression is not null) yield return expression;
            }
        }
    }

    /// <summary>
    /// Splits <paramref name="text"/> into parts; each <c>%[…]</c> body goes through
    /// <paramref name="compileExpression"/> (which reports its own errors and returns null).
    /// <paramref name="subject"/> names the text in messages (<c>backend name 'X'</c>).
    /// </summary>
    public static LogFormat? TryParse(string text, string subject, Func<string, SampleExpression?> compileExpression, out string? error)
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
                error = $"unsupported log-format element at '{text[i..]}' in {subject} (only %[…] sample expressions are supported)";
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
                error = $"missing ']' in {subject}";
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
        return failed ? null : new LogFormat([.. literals], [.. expressions]);
    }

    /// <summary>
    /// The text for <paramref name="request"/>, valid until the next evaluation on this thread. A
    /// sample that does not exist makes the result false when <paramref name="requireSamples"/> (a
    /// backend name), and adds nothing otherwise (HAProxy writes nothing for an absent sample in a
    /// header value).
    /// </summary>
    public bool TryEvaluate(IRequestView request, bool requireSamples, out ReadOnlySpan<byte> value)
    {
        if (IsConstant)
        {
            value = Constant;
            return true;
        }
        // The common "%[expr]" alone needs no assembling.
        if (_expressions.Length == 1)
        {
            if (_expressions[0]!.TryEvaluate(request, out value)) return true;
            value = default;
            return !requireSamples;
        }
        byte[] buffer = SampleScratch.NameBuffer(256);
        int length = 0;
        for (int i = 0; i < _expressions.Length; i++)
        {
            ReadOnlySpan<byte> part;
            if (_expressions[i] is { } expression)
            {
                if (!expression.TryEvaluate(request, out part))
                {
                    if (requireSamples)
                    {
                        value = default;
                        return false;
                    }
                    continue;
                }
            }
            else
            {
                part = _literals[i];
            }
            if (length + part.Length > buffer.Length) buffer = SampleScratch.NameBuffer(length + part.Length);
            part.CopyTo(buffer.AsSpan(length));
            length += part.Length;
        }
        value = buffer.AsSpan(0, length);
        return true;
    }
}
