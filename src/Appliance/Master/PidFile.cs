using System.Globalization;
using Appliance.Logging;

namespace Appliance.Master;

/// <summary><c>-p PIDFILE</c>: the master's PID, written at start and removed at exit.</summary>
internal static class PidFile
{
    public static bool Write(string path, IEventLog log)
    {
        try
        {
            File.WriteAllText(path, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Alert($"cannot write pid file {path}: {e.Message}");
            return false;
        }
    }

    public static void Delete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
