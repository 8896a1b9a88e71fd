using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CompareRunner;

/// <summary>A system under test: where its HTTP and (if it has one) TCP-mode listeners are, and its process.</summary>
internal sealed class Target
{
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required IPEndPoint Http { get; init; }
    public IPEndPoint? Tcp { get; init; }
    public ManagedProcess? Process { get; init; }
    public string Version { get; init; } = "";
    public string Placement { get; set; } = "";
}

/// <summary>
/// The test bench on loopback: a run directory with every config, the two backends (one nginx process,
/// one worker, two ports, on the load CPU) and the proxies (each on the proxy CPU), all on ports picked
/// free at start. Only processes started here are ever signalled, by PID.
/// </summary>
internal sealed class Lab : IDisposable
{
    /// <summary>Body of <c>/small</c>: 100 bytes, a typical small API answer.</summary>
    public const int SmallBytes = 100;
    public const int BulkBytes = 1024 * 1024;

    private readonly Options _options;
    private readonly List<ManagedProcess> _processes = [];
    private readonly List<CpuQuota> _quotas = [];
    private readonly LoopbackPorts _ports = new();

    public Lab(Options options)
    {
        _options = options;
        Directory = System.IO.Directory.CreateTempSubdirectory("appliance-compare-").FullName;
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "www"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "tmp"));
        File.WriteAllText(Path.Combine(Directory, "www", "small"), new string('x', SmallBytes - 1) + "\n");
        var bulk = new byte[BulkBytes];
        new Random(1).NextBytes(bulk);
        File.WriteAllBytes(Path.Combine(Directory, "www", "1m"), bulk);
        // nginx workers (user nobody) must read the files and write their temp dirs.
        foreach (string dir in (string[])[Directory, Path.Combine(Directory, "www"), Path.Combine(Directory, "tmp")])
            File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("777", 8));
        Backend1 = _ports.Next();
        Backend2 = _ports.Next();
    }

    public string Directory { get; }

    public IPEndPoint Backend1 { get; }

    public IPEndPoint Backend2 { get; }

    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>
    /// Global maxconn of the appliance and HAProxy: room for the idle-connection measurement's clients
    /// plus a margin (every other workload stays far below it).
    /// </summary>
    public int MaxConn => Math.Max(4096, _options.IdleConnections + 500);

    /// <summary>This process's descriptor limit, which every process we start inherits.</summary>
    private static ulong FileLimit => Appliance.Native.FileLimit.Get().Current;

    public string AppliancePath => _options.AppliancePath;

    public IPEndPoint NextPort() => _ports.Next();

    /// <summary>Writes <paramref name="text"/> to NAME in the run directory; returns the path.</summary>
    public string WriteFile(string name, string text) => Write(name, text);

    /// <summary>Starts a process of ours on the proxy CPU, logging to NAME.log; stopped with the lab.</summary>
    public ManagedProcess StartProcess(string name, string command, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        Start(name, _options.ProxyCpu, command, arguments, environment);

    /// <summary>
    /// The seed configuration (/work/shared/SEED.md, README "Running it"): TCP mode, two servers with
    /// health checks, verbatim but for the ports.
    /// </summary>
    public string SeedConfig(IPEndPoint bind) => $"""
        frontend http_front
            bind {bind}
            default_backend web_back

        backend web_back
            balance roundrobin
            server app1 {Backend1} check
            server app2 {Backend2} check
        """;

    /// <summary>
    /// 1,000 services routed by path (the seed's path-routing pattern, scaled): 1,000 path_beg ACLs and
    /// use_backend rules, 1,000 backends of 2 servers with health checks.
    /// </summary>
    public string ThousandBackendsConfig(IPEndPoint bind)
    {
        var text = new System.Text.StringBuilder($"""
            defaults
                mode http
                timeout connect 5s
                timeout client 30s
                timeout server 30s

            frontend api_gateway
                bind {bind}
                default_backend svc0

            """);
        for (int i = 0; i < 1000; i++) text.Append($"    acl is_svc{i} path_beg /svc{i}/\n");
        for (int i = 0; i < 1000; i++) text.Append($"    use_backend svc{i} if is_svc{i}\n");
        for (int i = 0; i < 1000; i++)
        {
            text.Append($"\nbackend svc{i}\n    balance roundrobin\n    server a {Backend1} check\n    server b {Backend2} check\n");
        }
        return text.ToString();
    }

    public void StartBackends()
    {
        string conf = Write("backends.conf", $$"""
            # Two backends (two ports) in one single-process nginx on the load CPU.
            {{(IsRoot ? "user root;" : "")}}
            worker_processes 1;
            master_process off;
            daemon off;
            pid {{Directory}}/backends.pid;
            error_log {{Directory}}/backends-error.log warn;
            # Room for every proxy's pooled server connections after the idle-connection measurement.
            worker_rlimit_nofile {{FileLimit}};
            events { worker_connections {{FileLimit - 100}}; }
            http {
                access_log off;
                sendfile on;
                tcp_nopush on;
                keepalive_requests 1000000;
                keepalive_timeout 300s;
                default_type application/octet-stream;
                {{TempPaths("backends")}}
                server { listen {{Backend1}} backlog=4096; root {{Directory}}/www; }
                server { listen {{Backend2}} backlog=4096; root {{Directory}}/www; }
            }
            """);
        var backends = Start("backends", _options.LoadCpu, "nginx", ["-p", Directory, "-c", conf, "-e", $"{Directory}/backends-error.log"]);
        WaitReady(backends, Backend1);
        WaitReady(backends, Backend2);
    }

    public Target Direct() => new()
    {
        Name = "direct",
        Description = "wrk → backend nginx, no proxy",
        Http = Backend1,
        Tcp = Backend1,
    };

    public Target StartAppliance()
    {
        var http = _ports.Next();
        var tcp = _ports.Next();
        int cpu = _options.ProxyCpu;
        // cpu-map states the placement taskset already imposes (both shards on the proxy CPU).
        string conf = Write("appliance.cfg", HaproxyDialectConfig(http, tcp, globalExtra: $"cpu-map 1/1-2 {cpu}", tcpBackendExtra: ""));
        // Our own master socket: the default (/run/appliance/master.sock) may belong to another appliance.
        var process = Start("appliance", cpu, _options.AppliancePath, ["run", "-f", conf, "-S", Path.Combine(Directory, "appliance.sock")]);
        WaitReady(process, http);
        WaitReady(process, tcp);
        return new Target
        {
            Name = "appliance", Description = "appliance (native AOT), nbthread 2", Http = http, Tcp = tcp, Process = process,
            Version = FirstLine(_options.AppliancePath, "version"),
        };
    }

    public Target StartHaproxy()
    {
        var http = _ports.Next();
        var tcp = _ports.Next();
        // The appliance splices in TCP mode; let HAProxy do the same where it pays.
        string conf = Write("haproxy.cfg", HaproxyDialectConfig(http, tcp, globalExtra: "", tcpBackendExtra: "option splice-auto"));
        var process = Start("haproxy", _options.ProxyCpu, "haproxy", ["-db", "-f", conf]);
        WaitReady(process, http);
        WaitReady(process, tcp);
        return new Target
        {
            Name = "haproxy", Description = "HAProxy 2.6, nbthread 2", Http = http, Tcp = tcp, Process = process,
            Version = FirstLine("haproxy", "-v"),
        };
    }

    /// <summary>
    /// The one configuration the appliance and HAProxy both run (same dialect, same proxies): an HTTP and a
    /// TCP frontend, each balancing the two backends round-robin.
    /// </summary>
    private string HaproxyDialectConfig(System.Net.IPEndPoint http, System.Net.IPEndPoint tcp, string globalExtra, string tcpBackendExtra) => $"""
        global
            nbthread 2
            maxconn {MaxConn}
            # The idle-connection measurement runs near RLIMIT_NOFILE: start even when it cannot cover maxconn × (2 or 3).
            no strict-limits
            {globalExtra}

        defaults
            timeout connect 5s
            timeout client 30s
            timeout server 30s

        frontend fe_http
            mode http
            bind {http}
            option forwardfor
            default_backend be_http

        backend be_http
            mode http
            balance roundrobin
            server b1 {Backend1}
            server b2 {Backend2}

        frontend fe_tcp
            mode tcp
            bind {tcp}
            default_backend be_tcp

        backend be_tcp
            mode tcp
            balance roundrobin
            {tcpBackendExtra}
            server b1 {Backend1}
            server b2 {Backend2}
        """;

    public Target StartNginx()
    {
        var http = _ports.Next();
        var tcp = _ports.Next();
        const string streamModule = "/usr/lib/nginx/modules/ngx_stream_module.so";
        bool hasStream = File.Exists(streamModule);
        string stream = hasStream ? $$"""
            stream {
                upstream tcp_backends { server {{Backend1}}; server {{Backend2}}; }
                server { listen {{tcp}} backlog=4096; proxy_pass tcp_backends; }
            }
            """ : "";
        string conf = Write("nginx-proxy.conf", $$"""
            {{(hasStream ? $"load_module {streamModule};" : "")}}
            {{(IsRoot ? "user root;" : "")}}
            worker_processes 2;
            worker_rlimit_nofile {{FileLimit}};
            daemon off;
            pid {{Directory}}/nginx-proxy.pid;
            error_log {{Directory}}/nginx-proxy-error.log warn;
            events { worker_connections 16384; }
            http {
                access_log off;
                keepalive_requests 1000000;
                keepalive_timeout 300s;
                {{TempPaths("proxy")}}
                upstream backends {
                    server {{Backend1}};
                    server {{Backend2}};
                    keepalive 64;
                    keepalive_requests 1000000;
                    keepalive_timeout 300s;
                }
                server {
                    listen {{http}} backlog=4096;
                    location / {
                        proxy_pass http://backends;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        # Stream through memory buffers; never spill a 1 MiB answer to a temp file.
                        proxy_buffers 16 16k;
                        proxy_max_temp_file_size 0;
                    }
                }
            }
            {{stream}}
            """);
        var process = Start("nginx", _options.ProxyCpu, "nginx", ["-p", Directory, "-c", conf, "-e", $"{Directory}/nginx-proxy-error.log"]);
        WaitReady(process, http);
        if (hasStream) WaitReady(process, tcp);
        return new Target
        {
            Name = "nginx", Description = "nginx 1.22, 2 workers" + (hasStream ? " (stream module for TCP)" : ""),
            Http = http, Tcp = hasStream ? tcp : null, Process = process,
            Version = FirstLine("nginx", "-v"),
        };
    }

    public Target StartYarp()
    {
        var http = _ports.Next();
        // Kestrel and the thread pool size themselves from the CPU count, which under taskset is 1;
        // DOTNET_PROCESSOR_COUNT=2 gives it the same 2-way parallelism the other proxies are configured with.
        var environment = new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = "2", ["ASPNETCORE_ENVIRONMENT"] = "Production" };
        var process = Start("yarp", _options.ProxyCpu, _options.YarpPath,
            ["--listen", http.ToString(), "--backend", Backend1.ToString(), "--backend", Backend2.ToString()], environment);
        WaitReady(process, http);
        return new Target
        {
            Name = "yarp", Description = "YARP 2.3.0 on ASP.NET Core (Kestrel), Release, DOTNET_PROCESSOR_COUNT=2",
            Http = http, Process = process, Version = "Yarp.ReverseProxy 2.3.0, .NET " + Environment.Version,
        };
    }

    private ManagedProcess Start(string name, int cpu, string command, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = ManagedProcess.Start(name, cpu, Path.Combine(Directory, name + ".log"), command, arguments, environment);
        _processes.Add(process);
        return process;
    }

    private string TempPaths(string prefix) => string.Join("\n    ",
        from kind in new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" }
        select $"{kind}_temp_path {Directory}/tmp/{prefix}-{kind};");

    private string Write(string name, string text)
    {
        string path = Path.Combine(Directory, name);
        File.WriteAllText(path, text + "\n");
        return path;
    }

    /// <summary>Polls GET /small until it answers 200 (at most 20 s), failing early if the process died.</summary>
    private void WaitReady(ManagedProcess process, IPEndPoint endpoint) =>
        LoopbackPorts.WaitAnswering(process, endpoint, "/small", TimeSpan.FromSeconds(20), $"{Directory}/{process.Name}.log");

    private static string FirstLine(string command, string argument)
    {
        try
        {
            var info = new ProcessStartInfo(command, argument) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(info)!;
            string text = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit(5000);
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "";
        }
    }

    /// <summary>Caps <paramref name="target"/>'s process tree to <paramref name="percent"/>% of one CPU until the lab ends.</summary>
    public void ConfineToCpuQuota(Target target, int percent) =>
        _quotas.Add(CpuQuota.Confine(target.Name, percent, target.Process!.Tree()));

    public void Dispose()
    {
        // Proxies first, then the backends; each by its own PID. Their CPU groups once they are empty.
        for (int i = _processes.Count - 1; i >= 0; i--) _processes[i].Dispose();
        _processes.Clear();
        foreach (CpuQuota quota in _quotas) quota.Dispose();
        _quotas.Clear();
    }
}
