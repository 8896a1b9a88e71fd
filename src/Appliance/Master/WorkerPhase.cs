namespace Appliance.Master;

/// <summary>Life of a worker process as the master sees it.</summary>
internal enum WorkerPhase
{
    /// <summary>Spawned, not READY yet.</summary>
    Starting,
    /// <summary>The current generation: it accepts.</summary>
    Serving,
    /// <summary>Told to drain: finishes its connections, then exits.</summary>
    Draining,
    /// <summary>Gone (its channel closed).</summary>
    Exited,
}
