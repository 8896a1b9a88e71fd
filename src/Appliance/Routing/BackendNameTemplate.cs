using Appliance.Routing.Samples;

namespace Appliance.Routing;

/// <summary>
/// The backend name of a dynamic <c>use_backend</c>: HAProxy log-format text made of literal parts
/// and <c>%[sample expression]</c> parts (<c>%%</c> is a literal '%'). Evaluated per request into
/// the shard's scratch buffer and looked up as bytes in the <see cref="BackendDirectory"/>.
/// </summary>
internal sealed class BackendNameTemplate
{
    private readonly LogFormat _name;

    private BackendNameTemplate(LogFormat name) => _name = name;

    /// <summary>
    /// Splits <paramref name="text"/> into parts; each <c>%[…]</c> body goes through
    /// <paramref name="compileExpression"/> (which reports its own errors and returns null).
    /// </summary>
    public static BackendNameTemplate? TryParse(string text, Func<string, SampleExpression?> compileExpression, out string? error)
    {
        LogFormat? name = LogFormat.TryParse(text, $"backend name '{text}'", compileExpression, out error);
        return name is null ? null : new BackendNameTemplate(name);
    }

    /// <summary>
    /// The backend index the name resolves to, or -1 when a sample is missing or no backend has that
    /// name. Allocation-free.
    /// </summary>
    public int Resolve(IRequestView request, BackendDirectory backends) =>
        _name.TryEvaluate(request, requireSamples: true, out ReadOnlySpan<byte> name) ? backends.Find(name) : -1;
}
