namespace CompareRunner;

/// <summary>Startup times of one target with one config, in ms from exec to READY=1.</summary>
internal sealed record StartupResult(string Config, string Target, IReadOnlyList<double> Milliseconds, int Failures)
{
    public double Median => Report.Median([.. Milliseconds]);
}
