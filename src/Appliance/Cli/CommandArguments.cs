namespace Appliance.Cli;

/// <summary>
/// A subcommand's arguments: options (<c>-f FILE</c>, <c>--file FILE</c>, <c>--file=FILE</c>) and
/// flags. Unknown options are reported by the command, with its usage.
/// </summary>
internal sealed class CommandArguments
{
    private readonly List<string> _words;

    public CommandArguments(IEnumerable<string> words) => _words = words.ToList();

    public bool WantsHelp => _words.Contains("--help") || _words.Contains("-h");

    /// <summary>Removes and returns every value of an option given by any of its names.</summary>
    public List<string> TakeValues(params string[] names)
    {
        var values = new List<string>();
        for (int i = 0; i < _words.Count; i++)
        {
            string word = _words[i];
            foreach (string name in names)
            {
                if (word == name && i + 1 < _words.Count)
                {
                    values.Add(_words[i + 1]);
                    _words.RemoveRange(i, 2);
                    i--;
                    break;
                }
                if (name.StartsWith("--", StringComparison.Ordinal) && word.StartsWith(name + "=", StringComparison.Ordinal))
                {
                    values.Add(word[(name.Length + 1)..]);
                    _words.RemoveAt(i);
                    i--;
                    break;
                }
            }
        }
        return values;
    }

    /// <summary>Removes a flag; true if it was present.</summary>
    public bool TakeFlag(params string[] names)
    {
        bool found = false;
        foreach (string name in names) found |= _words.Remove(name);
        return found;
    }

    /// <summary>Words left after the command took what it knows: an error if not empty.</summary>
    public IReadOnlyList<string> Remaining => _words;
}
