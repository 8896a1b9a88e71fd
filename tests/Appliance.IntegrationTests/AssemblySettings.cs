// The suite drives Linux processes, /proc and Unix sockets; it has no meaning elsewhere.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// The machine has 2 cores: a 100 MiB transfer next to a distribution or health-timing test would turn timing
// bounds into coin flips, and every test already starts a proxy with up to 2 shards. Tests run one at a time;
// the suite stays well under the 3-minute budget that way.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
