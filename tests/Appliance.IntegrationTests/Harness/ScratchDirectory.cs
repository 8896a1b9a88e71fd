namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// A fresh temporary directory for one test's config files and Unix sockets, deleted on dispose. Kept under
/// /tmp with a short name because a Unix socket path must fit in 108 bytes.
/// </summary>
public sealed class ScratchDirectory : IDisposable
{
    public ScratchDirectory() => FullPath = Directory.CreateTempSubdirectory("appliance-itest-").FullName;

    public string FullPath { get; }

    /// <summary>Where tests put the runtime API (<c>stats socket</c>).</summary>
    public string StatsSocketPath => PathOf("admin.sock");

    public string PathOf(string fileName) => Path.Combine(FullPath, fileName);

    public string WriteFile(string fileName, string content)
    {
        var path = PathOf(fileName);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(FullPath, recursive: true);
        }
        catch (IOException)
        {
            // A process that is still dying may hold a socket file; /tmp is cleaned eventually.
        }
    }
}
