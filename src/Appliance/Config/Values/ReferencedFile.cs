namespace Appliance.Config.Values;

/// <summary>
/// Files a configuration line names and that are read with the configuration (<c>errorfile</c>,
/// <c>return … file</c>): their content is kept in memory, so later changes to the file count only
/// after a reload, as in HAProxy. Read on the master at load time, never on the data path.
/// </summary>
internal static class ReferencedFile
{
    /// <summary>
    /// Largest response the proxy can send from a file: it must fit one I/O buffer
    /// (<c>BufferPool.BufferSize</c>, HAProxy's default <c>tune.bufsize</c>).
    /// </summary>
    public const int MaxReplyBytes = 16 * 1024;

    /// <summary>
    /// Absolute as written, otherwise relative to the directory of the configuration file that names it
    /// (the rule map and pattern files follow).
    /// </summary>
    public static string Resolve(string configFile, string path)
    {
        if (Path.IsPathRooted(path)) return Path.GetFullPath(path);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(configFile));
        return Path.GetFullPath(Path.Combine(directory ?? ".", path));
    }

    /// <summary>Reads a reply file of at most <see cref="MaxReplyBytes"/>; null with a message for a diagnostic otherwise.</summary>
    public static byte[]? TryReadReply(string configFile, string path, out string? error)
    {
        error = null;
        string resolved = Resolve(configFile, path);
        try
        {
            var info = new FileInfo(resolved);
            if (info.Exists && info.Length > MaxReplyBytes)
            {
                error = $"file '{path}' is larger than one {MaxReplyBytes}-byte buffer ({info.Length} bytes)";
                return null;
            }
            return File.ReadAllBytes(resolved);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            string reason = e switch
            {
                FileNotFoundException or DirectoryNotFoundException => "file not found",
                UnauthorizedAccessException => "permission denied",
                _ => e.Message,
            };
            error = $"cannot read file '{path}': {reason}";
            return null;
        }
    }
}
