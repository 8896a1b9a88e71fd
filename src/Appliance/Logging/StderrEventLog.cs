namespace Appliance.Logging;

/// <summary>Writes events to stderr with a timestamp and level, one line each.</summary>
public sealed class StderrEventLog : IEventLog
{
    private readonly object _gate = new();
    private readonly TextWriter _writer;

    public StderrEventLog(TextWriter? writer = null) => _writer = writer ?? Console.Error;

    public void Info(string message) => Write("NOTICE", message);

    public void Warning(string message) => Write("WARNING", message);

    public void Alert(string message) => Write("ALERT", message);

    private void Write(string level, string message)
    {
        var line = $"[{level}] {DateTime.Now:yyyy-MM-dd HH:mm:ss.fff} {message}";
        lock (_gate)
        {
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }
}
