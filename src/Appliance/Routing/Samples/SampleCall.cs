namespace Appliance.Routing.Samples;

/// <summary>One <c>name(arg,arg)</c> element of a sample expression, as written.</summary>
internal sealed record SampleCall(string Name, string[] Arguments)
{
    /// <summary>
    /// Splits <c>fetch(args),conv(args),…</c> at the commas outside parentheses and each element into
    /// its name and arguments. Returns false with a message on unbalanced parentheses or an empty element.
    /// </summary>
    public static bool TryParseExpression(string text, out List<SampleCall> calls, out string? error)
    {
        calls = [];
        error = null;
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            char c = i < text.Length ? text[i] : ',';
            if (c == '(') depth++;
            else if (c == ')')
            {
                if (--depth < 0)
                {
                    error = $"unexpected ')' in sample expression '{text}'";
                    return false;
                }
            }
            else if (c == ',' && depth == 0)
            {
                if (!TryParseCall(text[start..i], text, out SampleCall? call, out error)) return false;
                calls.Add(call!);
                start = i + 1;
            }
        }
        if (depth != 0)
        {
            error = $"missing ')' in sample expression '{text}'";
            return false;
        }
        return true;
    }

    private static bool TryParseCall(string element, string whole, out SampleCall? call, out string? error)
    {
        call = null;
        error = null;
        int open = element.IndexOf('(');
        string name = open < 0 ? element : element[..open];
        if (name.Length == 0)
        {
            error = $"empty keyword in sample expression '{whole}'";
            return false;
        }
        if (open < 0)
        {
            call = new SampleCall(name, []);
            return true;
        }
        if (element[^1] != ')')
        {
            error = $"unexpected text after ')' in sample expression '{whole}'";
            return false;
        }
        string inside = element[(open + 1)..^1];
        call = new SampleCall(name, inside.Length == 0 ? [] : inside.Split(','));
        return true;
    }
}
