namespace Appliance.Load;

/// <summary>Command line of appliance-load; defaults are the full run, <c>--smoke</c> the CI one.</summary>
internal sealed record LoadOptions
{
    public const string Usage =
        "usage: appliance-load [--smoke] [--scenarios a,b,...] [--seconds S] [--connections N] [--rate R] [--open] " +
        "[--timeout S] [--reloads N] [--stream-mib N] [--appliance PATH] [--out DIR] [--name BASE] [--list]";

    public bool Smoke { get; init; }
    public IReadOnlyList<string> Scenarios { get; init; } = [];
    public int Seconds { get; init; } = 10;
    /// <summary>Connections of the closed-model HTTP scenarios.</summary>
    public int Connections { get; init; } = 32;
    /// <summary>Requests/s of the open-model scenarios (keepalive-rate, and all HTTP ones with --open).</summary>
    public int Rate { get; init; } = 2000;
    /// <summary>Every HTTP scenario open-model at <see cref="Rate"/>, instead of closed-model.</summary>
    public bool Open { get; init; }
    /// <summary>Client connect/send/receive timeout: longer than this without progress counts as a hang.</summary>
    public int TimeoutSeconds { get; init; } = 10;
    public int Reloads { get; init; } = 5;
    public int StreamMiB { get; init; } = 256;
    public string AppliancePath { get; init; } = "";
    public string OutputDirectory { get; init; } = "";
    public string OutputName { get; init; } = "load";
    public bool List { get; init; }
    public string CommandLine { get; init; } = "";

    public static LoadOptions Parse(string[] args)
    {
        var o = new LoadOptions { CommandLine = string.Join(' ', args) };
        if (args.Contains("--smoke")) o = o with { Smoke = true, Seconds = 2, Reloads = 2, StreamMiB = 16, Connections = 16, OutputName = "load-smoke" };
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Positive() => int.TryParse(Next(), out int v) && v > 0 ? v : throw new ArgumentException($"{args[i - 1]} needs a positive number");
            switch (args[i])
            {
                case "--smoke": break;
                case "--list": o = o with { List = true }; break;
                case "--open": o = o with { Open = true }; break;
                case "--scenarios": o = o with { Scenarios = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) }; break;
                case "--seconds": o = o with { Seconds = Positive() }; break;
                case "--connections": o = o with { Connections = Positive() }; break;
                case "--rate": o = o with { Rate = Positive() }; break;
                case "--timeout": o = o with { TimeoutSeconds = Positive() }; break;
                case "--reloads": o = o with { Reloads = Positive() }; break;
                case "--stream-mib": o = o with { StreamMiB = Positive() }; break;
                case "--appliance": o = o with { AppliancePath = Next() }; break;
                case "--out": o = o with { OutputDirectory = Next() }; break;
                case "--name": o = o with { OutputName = Next() }; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        return o;
    }
}
