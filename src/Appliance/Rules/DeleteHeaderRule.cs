using Appliance.Config.Model;
using Appliance.Routing;
using Appliance.Routing.Acls;
using Appliance.Routing.Patterns;

namespace Appliance.Rules;

/// <summary>
/// <c>del-header NAME [-m str|beg|end|sub|reg]</c>. A delete is recorded only for names present, so
/// rules that strip headers a request rarely carries do not use up the edit list. Names compare
/// ASCII case-insensitively; the framing fields are never deleted by a pattern (the parser refuses
/// them as exact names). No allocation.
/// </summary>
internal sealed class DeleteHeaderRule : CompiledRule
{
    /// <summary>
    /// Match table size kept on the stack: more than a head holds by default (101 fields, 32 edits);
    /// only a larger configured limit makes a message allocate its table.
    /// </summary>
    private const int StackFields = 256;

    private readonly byte[] _name;
    private readonly HeaderNameMatch _match;
    private readonly RegexPattern? _regex;

    public DeleteHeaderRule(Condition? condition, SourceLocation location, byte[] name, HeaderNameMatch match, RegexPattern? regex)
        : base(condition, location)
    {
        _name = name;
        _match = match;
        _regex = regex;
    }

    public override RuleStep Apply(ref RuleRun run)
    {
        EditedHeaderFields fields = run.Fields;
        if (_match == HeaderNameMatch.Exact)
        {
            for (int i = 0; i < fields.FieldCount; i++)
            {
                if (HeaderValues.NameEquals(fields.FieldName(i), _name)) return run.Edits.TryDelete(_name) ? RuleStep.Next : RuleStep.Failed;
            }
            return RuleStep.Next;
        }

        // Deleting changes the view: note where the matching fields are first, then delete each name once.
        int count = fields.FieldCount;
        Span<int> matches = count <= StackFields ? stackalloc int[count] : new int[count];
        int found = 0;
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> name = fields.FieldName(i);
            if (Matches(name) && !FramingFields.Contains(name)) matches[found++] = fields.Locate(i);
        }
        for (int m = 0; m < found; m++)
        {
            ReadOnlySpan<byte> name = fields.NameAt(matches[m]);
            bool seen = false;
            for (int earlier = 0; earlier < m && !seen; earlier++) seen = HeaderValues.NameEquals(fields.NameAt(matches[earlier]), name);
            if (!seen && !run.Edits.TryDelete(name)) return RuleStep.Failed;
        }
        return RuleStep.Next;
    }

    private bool Matches(ReadOnlySpan<byte> name) => _match switch
    {
        HeaderNameMatch.Prefix => name.Length >= _name.Length && AsciiCase.Equal(name[.._name.Length], _name, ignoreCase: true),
        HeaderNameMatch.Suffix => name.Length >= _name.Length && AsciiCase.Equal(name[^_name.Length..], _name, ignoreCase: true),
        HeaderNameMatch.Substring => IndexOfIgnoreCase(name, _name) >= 0,
        _ => _regex!.IsMatch(name),
    };

    private static int IndexOfIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> part)
    {
        for (int i = 0; i + part.Length <= text.Length; i++)
        {
            if (AsciiCase.Equal(text.Slice(i, part.Length), part, ignoreCase: true)) return i;
        }
        return -1;
    }
}
