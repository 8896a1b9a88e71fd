using System.Net;
using Appliance.Testing;

namespace Appliance.TestBackend;

/// <summary>
/// Command line: <c>--mode MODE [--port N] [--name NAME] [--address IP] [--record FILE] [--ignore-stdin]</c>.
/// <c>--record</c> only means something in <c>http</c> mode: one JSON line per event is appended to FILE
/// (see <see cref="OriginRecorder"/>).
/// </summary>
internal sealed record BackendOptions(
    BackendMode Mode, string Name, IPAddress Address, int Port, bool WatchStandardInput, string? RecordPath)
{
    public const string Usage =
        "usage: Appliance.TestBackend --mode http|name|echo|sha|source|reset [--port N] [--name NAME] " +
        "[--address IP] [--record FILE] [--ignore-stdin]";

    /// <exception cref="ArgumentException">An argument is unknown, missing its value, or malformed.</exception>
    public static BackendOptions Parse(IReadOnlyList<string> args)
    {
        BackendMode? mode = null;
        string? name = null;
        IPAddress address = IPAddress.Loopback;
        int port = 0;
        bool watchStandardInput = true;
        string? recordPath = null;

        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--mode":
                    mode = Enum.TryParse<BackendMode>(ValueOf(args, ref i), ignoreCase: true, out var parsed)
                        ? parsed
                        : throw new ArgumentException($"unknown mode '{args[i]}'");
                    break;
                case "--name":
                    name = ValueOf(args, ref i);
                    break;
                case "--address":
                    address = IPAddress.TryParse(ValueOf(args, ref i), out var ip)
                        ? ip
                        : throw new ArgumentException($"bad address '{args[i]}'");
                    break;
                case "--port":
                    port = int.TryParse(ValueOf(args, ref i), out var p) && p is >= 0 and <= 65535
                        ? p
                        : throw new ArgumentException($"bad port '{args[i]}'");
                    break;
                case "--record":
                    recordPath = ValueOf(args, ref i);
                    break;
                case "--ignore-stdin":
                    // For running by hand with stdin at /dev/null; tests always keep stdin open as a lifeline.
                    watchStandardInput = false;
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }

        if (mode is not { } m)
        {
            throw new ArgumentException("--mode is required");
        }

        return new BackendOptions(m, name ?? m.ToString().ToLowerInvariant(), address, port, watchStandardInput, recordPath);
    }

    private static string ValueOf(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count)
        {
            throw new ArgumentException($"{args[i]} needs a value");
        }

        return args[++i];
    }
}
