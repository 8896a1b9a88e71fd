using Appliance.Cli;

namespace Appliance;

internal static class Program
{
    private static int Main(string[] args) => CommandLine.Run(args);
}
