using System.Collections.Concurrent;
using Appliance.Logging;

namespace Appliance.Tests.Health;

/// <summary>Keeps every event line; <see cref="OnLine"/> runs on the logging thread as each one arrives.</summary>
internal sealed class RecordingEventLog : IEventLog
{
    public ConcurrentQueue<(string Level, string Message)> Lines { get; } = new();

    public Action<string>? OnLine { get; set; }

    public void Info(string message) => Add("NOTICE", message);

    public void Warning(string message) => Add("WARNING", message);

    public void Alert(string message) => Add("ALERT", message);

    public string[] Messages => Lines.Select(l => l.Message).ToArray();

    private void Add(string level, string message)
    {
        OnLine?.Invoke(message);
        Lines.Enqueue((level, message));
    }
}
