using Appliance.Config.Parsing;

namespace Appliance.Config.Keywords;

/// <summary>A keyword's trailing options, read left to right; every bad option is reported, none stops the scan.</summary>
internal sealed class WordOptionTable<TTarget>
{
    private readonly Dictionary<string, WordOption<TTarget>> _byName = new(StringComparer.Ordinal);

    public WordOptionTable(string owner, IEnumerable<WordOption<TTarget>> options)
    {
        Owner = owner;
        var all = new List<WordOption<TTarget>>();
        foreach (var option in options)
        {
            if (!_byName.TryAdd(option.Name, option)) throw new InvalidOperationException($"{owner} option '{option.Name}' is listed twice");
            all.Add(option);
        }
        Options = all;
    }

    /// <summary>The keyword these options belong to, as written in messages and the keyword doc.</summary>
    public string Owner { get; }

    public IReadOnlyList<WordOption<TTarget>> Options { get; }

    public TTarget ParseAll(KeywordLine line, int firstArgument, TTarget target)
    {
        int i = firstArgument;
        List<string>? unsupported = null;
        while (i < line.ArgumentCount)
        {
            string name = line.Argument(i);
            if (!_byName.TryGetValue(name, out var option))
            {
                var guess = KeywordSuggestion.Closest(name, _byName.Keys);
                line.Error(guess is null ? $"unknown option '{name}'" : $"unknown option '{name}'; did you mean '{guess}'?");
                // A typo of an option that takes a value is followed by that value: skip it too rather than
                // report it as a second unknown option.
                i += 1 + (guess is null ? 0 : _byName[guess].ArgumentCount);
                continue;
            }
            if (i + option.ArgumentCount >= line.ArgumentCount && option.ArgumentCount > 0)
            {
                line.Error($"option '{name}' needs a value ({name} {option.Arguments})");
                return target;
            }
            string argument = option.ArgumentCount > 0 ? line.Argument(i + 1) : string.Empty;
            i += 1 + option.ArgumentCount;
            switch (option.Status)
            {
                case KeywordStatus.Ignored:
                    line.WarnOnce($"{Owner} option {name}", $"option '{name}' not implemented yet, ignored");
                    break;
                case KeywordStatus.Unsupported:
                    (unsupported ??= new List<string>()).Add(name);
                    break;
                default:
                    target = option.Apply!(target, argument, line);
                    break;
            }
        }
        // Unsupported options come in families (ssl crt …, ssl verify …): one message per line names them all.
        if (unsupported is not null)
        {
            line.Error(unsupported.Count == 1
                ? $"option '{unsupported[0]}' is not supported yet"
                : $"options {string.Join(", ", unsupported.Select(u => $"'{u}'"))} are not supported yet");
        }
        return target;
    }
}
