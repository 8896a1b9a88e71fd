namespace Appliance.Config.Keywords;

/// <summary>
/// Keywords real haproxy.cfg files carry that the appliance does not implement yet but can safely run
/// without: each is accepted with one "not implemented yet, ignored" warning. Kept as an explicit list
/// so that every other unknown word stays an error (a typo must never be silently ignored).
/// </summary>
internal static class IgnoredKeywords
{
    public static readonly IReadOnlyList<string> Global =
    [
        "log-send-hostname", "chroot", "user", "group", "uid", "gid", "daemon", "master-worker",
        "pidfile", "ca-base", "crt-base", "ssl-default-bind-ciphers",
        "ssl-default-bind-ciphersuites", "ssl-default-bind-options", "ssl-default-bind-curves",
        "ssl-default-server-ciphers", "ssl-default-server-ciphersuites", "ssl-default-server-options",
        "ssl-dh-param-file", "ssl-server-verify", "ssl-engine", "ssl-mode-async", "issuers-chain-path",
        "stats timeout", "stats maxconn", "stats bind-process", "spread-checks", "quiet", "node", "description",
        "maxconnrate", "maxsessrate", "maxsslconn", "maxsslrate", "maxcomprate", "maxpipes", "ulimit-n",
        "lua-load", "lua-prepend-path", "server-state-file", "server-state-base", "insecure-fork-wanted",
        "localpeer", "expose-experimental-directives", "h1-case-adjust", "h1-case-adjust-file",
        "noepoll", "nosplice", "nogetaddrinfo", "noreuseport", "set-dumpable", "grace",
        "external-check", "debug", "zero-warning", "numa-cpu-mapping", "pp2-never-send-local",
    ];

    /// <summary>Prefix families: every <c>tune.*</c> keyword is a buffer or limit tunable.</summary>
    public static readonly IReadOnlyList<string> GlobalPrefixes = ["tune."];

    public static readonly IReadOnlyList<string> Proxy =
    [
        "log-format-sd", "log-tag", "error-log-format", "errorfiles", "errorloc",
        "errorloc302", "errorloc303", "http-after-response", "http-error",
        "tcp-check", "tcp-request", "tcp-response",
        "compression", "capture", "declare", "cookie", "hash-type", "fullconn", "backlog", "monitor-uri", "monitor",
        "description", "id", "unique-id-format", "unique-id-header", "stick-table", "stick", "filter",
        "email-alert", "source", "http-send-name-header", "max-keep-alive-queue", "rate-limit", "persist",
        "external-check", "load-server-state-from-file", "server-state-file-name", "clitcpka-cnt", "clitcpka-idle",
        "clitcpka-intvl", "srvtcpka-cnt", "srvtcpka-idle", "srvtcpka-intvl", "force-persist", "ignore-persist",
        "bind-process", "enabled",
    ];

    /// <summary>The <c>option</c> keywords other than <c>redispatch</c>; all may also be written <c>no option …</c>.</summary>
    public static readonly IReadOnlyList<string> ProxyOptions =
    [
        "abortonclose", "accept-invalid-http-request", "accept-invalid-http-response", "allbackups", "checkcache",
        "clitcpka", "contstats", "disable-h2-upgrade", "dontlog-normal",
        "h1-case-adjust-bogus-client", "h1-case-adjust-bogus-server", "http-buffer-request", "http-ignore-probes",
        "http-no-delay", "http-pretend-keepalive", "http-restrict-req-hdr-names",
        "http-use-proxy-header", "httpslog",
        "independent-streams", "ldap-check", "external-check", "log-health-checks", "log-separate-errors",
        "logasap", "mysql-check", "nolinger", "originalto", "persist", "pgsql-check", "prefer-last-server",
        "redis-check", "smtpchk", "socket-stats", "splice-auto", "splice-request", "splice-response", "spop-check",
        "srvtcpka", "ssl-hello-chk", "tcp-check", "tcpka",
        "transparent",
    ];
}
