namespace Appliance.Master;

/// <summary>Messages on the master–worker channel (one socketpair per worker process).</summary>
internal enum MessageKind : ushort
{
    // master → worker
    /// <summary>Descriptors handed over (listening sockets, runtime API sockets) with what each one is.</summary>
    Descriptors = 1,
    /// <summary>Generation, configuration text, carried-over server state, counters of other generations.</summary>
    Init = 2,
    /// <summary>Asks for the server states and counters (answered by <see cref="State"/> with the same id).</summary>
    StateRequest = 3,
    /// <summary>New counters of the other generations.</summary>
    Baseline = 4,
    /// <summary>Stop accepting, drain, exit when no connection is left or at hard-stop-after.</summary>
    Drain = 5,
    /// <summary>Stop at once (connections are closed) and exit.</summary>
    Stop = 6,
    /// <summary>A runtime API command from the master CLI (answered by <see cref="CommandResult"/>).</summary>
    Command = 7,

    // worker → master
    /// <summary>Every shard runs and accepts: this generation serves.</summary>
    Ready = 101,
    /// <summary>The worker could not start; the payload says why. It exits next.</summary>
    Failed = 102,
    /// <summary>Server states and counters (id 0: the periodic push).</summary>
    State = 103,
    CommandResult = 104,
    /// <summary>The worker no longer polls the listening sockets (the master may close retired ones).</summary>
    DrainStarted = 105,
    /// <summary>Last counters, sent just before the worker exits.</summary>
    Final = 106,
}
