using Yarp.ReverseProxy.Configuration;

// A minimal YARP reverse proxy for perf/compare: every path goes to one cluster of the given
// backends (round robin, pooled keep-alive connections, YARP's default X-Forwarded-* headers).
//   YarpProxy --listen 127.0.0.1:PORT --backend 127.0.0.1:P1 --backend 127.0.0.1:P2
// Prints "YARP ready" once Kestrel listens.
string listen = "127.0.0.1:8080";
var backends = new List<string>();
for (int i = 0; i + 1 < args.Length; i += 2)
{
    if (args[i] == "--listen") listen = args[i + 1];
    else if (args[i] == "--backend") backends.Add(args[i + 1]);
}
if (backends.Count == 0)
{
    Console.Error.WriteLine("usage: YarpProxy --listen HOST:PORT --backend HOST:PORT [--backend HOST:PORT ...]");
    return 2;
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders(); // no per-request logging: the other proxies log nothing either
builder.WebHost.UseUrls($"http://{listen}");

var destinations = new Dictionary<string, DestinationConfig>();
for (int i = 0; i < backends.Count; i++) destinations[$"b{i + 1}"] = new DestinationConfig { Address = $"http://{backends[i]}/" };
builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "all", ClusterId = "web", Match = new RouteMatch { Path = "{**catch-all}" } }],
    [new ClusterConfig { ClusterId = "web", LoadBalancingPolicy = "RoundRobin", Destinations = destinations }]);

var app = builder.Build();
app.MapReverseProxy();
app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine("YARP ready"));
app.Run();
return 0;
