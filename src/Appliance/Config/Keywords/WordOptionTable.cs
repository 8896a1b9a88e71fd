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
        while (i < line.ArgumentCount)
        {
            string name = line.Argument(i);
            if (!_byName.TryGetValue(name, out var option))
            {
                line.Error(KeywordSuggestion.WithSuggestion($"unknown option '{name}'", name, _byName.Keys));
                i++;
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
                    line.Error($"option '{name}' is not supported yet");
                    break;
                default:
                    target = option.Apply!(target, argument, line);
                    break;
            }
        }
        return target;
    }
}
