using Appliance.Routing.Patterns;

namespace Appliance.Routing;

/// <summary>
/// HAProxy's <c>hdr()</c> view of request headers over <see cref="IRequestView"/>: names compared
/// case-insensitively (ASCII), each field value split at commas that are outside double-quoted
/// strings, each value trimmed of spaces and tabs; occurrences are numbered over those values across
/// all fields with the name, from 1 (first) or from -1 (last). The <c>fhdr()</c> variants
/// (<paramref name="splitCommas"/> false) treat each whole field as one value. Allocation-free.
/// </summary>
public static class HeaderValues
{
    /// <summary>
    /// The value at <paramref name="occurrence"/> (1 = first, -1 = last, -2 = one before last, …) of
    /// header <paramref name="name"/>; an empty name means every header.
    /// </summary>
    public static bool TryGet(IRequestView request, ReadOnlySpan<byte> name, int occurrence, bool splitCommas, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (occurrence == 0) return false;
        if (occurrence < 0)
        {
            int count = Count(request, name, splitCommas);
            occurrence = count + occurrence + 1;
            if (occurrence <= 0) return false;
        }
        var values = new HeaderValueEnumerator(request, name, splitCommas);
        int seen = 0;
        while (values.MoveNext())
        {
            if (++seen == occurrence)
            {
                value = values.Current;
                return true;
            }
        }
        return false;
    }

    /// <summary>The last value of header <paramref name="name"/> (HAProxy's default in sample expressions).</summary>
    public static bool TryGetLast(IRequestView request, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value) =>
        TryGet(request, name, -1, splitCommas: true, out value);

    /// <summary>Number of values (<c>hdr_cnt</c>) or fields (<c>fhdr_cnt</c>) named <paramref name="name"/>.</summary>
    public static int Count(IRequestView request, ReadOnlySpan<byte> name, bool splitCommas)
    {
        var values = new HeaderValueEnumerator(request, name, splitCommas);
        int count = 0;
        while (values.MoveNext()) count++;
        return count;
    }

    /// <summary>Every value of header <paramref name="name"/>, in order (use with <c>foreach</c>).</summary>
    public static HeaderValueEnumerator Enumerate(IRequestView request, ReadOnlySpan<byte> name, bool splitCommas = true) =>
        new(request, name, splitCommas);

    internal static bool NameEquals(ReadOnlySpan<byte> fieldName, ReadOnlySpan<byte> name) =>
        AsciiCase.Equal(fieldName, name, ignoreCase: true);

    /// <summary>Index of the comma ending the value that starts at <paramref name="start"/>, or the length.</summary>
    internal static int ValueEnd(ReadOnlySpan<byte> field, int start)
    {
        bool quoted = false;
        bool escaped = false;
        for (int i = start; i < field.Length; i++)
        {
            byte b = field[i];
            if (quoted)
            {
                if (escaped) escaped = false;
                else if (b == '\\') escaped = true;
                else if (b == '"') quoted = false;
            }
            else if (b == '"') quoted = true;
            else if (b == ',') return i;
        }
        return field.Length;
    }

    internal static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> value)
    {
        int start = 0, end = value.Length;
        while (start < end && (value[start] == ' ' || value[start] == '\t')) start++;
        while (end > start && (value[end - 1] == ' ' || value[end - 1] == '\t')) end--;
        return value[start..end];
    }
}
