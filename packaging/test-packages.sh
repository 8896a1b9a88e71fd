#!/usr/bin/env bash
# Acceptance tests of the packages (run by test.sh; ends with "N passed, N failed" like it).
#
# Usage: packaging/test-packages.sh BINARY
#   BINARY  the native AOT binary test.sh has already published and checked; the packages are
#           built around it (building them from a clean checkout is the first test), so the
#           minutes of an AOT publish are not spent twice.
#
# Nothing is installed on this machine: the .deb goes into a throwaway root with
#   dpkg --root=DIR --force-script-chrootless   (maintainer scripts run here with DPKG_ROOT=DIR and
#                                               write only under DIR; see packaging/deb/postinst)
#   --force-depends                             (DIR's dpkg database has no libc6 or passwd package;
#                                               the binary runs on this machine's libc)
# and the .rpm into another with rpm --root DIR --nodeps --noscripts (an empty rpm database
# provides none of glibc, systemd, shadow-utils; the scriptlets would run chrooted into DIR, which
# has no shell; they are checked with sh -n instead).
set -uo pipefail
export LC_ALL=C   # one sort order for sort and comm

binary=$(realpath "${1:?usage: test-packages.sh BINARY}")
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
version=$(sed -n 's:.*<Version>\([^<]*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -n 1)
work=$(mktemp -d "${TMPDIR:-/tmp}/appliance-package-tests.XXXXXX")
# PIDs of the processes the tests start, one a line (the tests run in subshells), stopped on exit.
started() { echo "$1" >>"$work/pids"; }
cleanup() {
    local pid
    if [ -f "$work/pids" ]; then
        while read -r pid; do kill "$pid" 2>/dev/null; done <"$work/pids"
        sleep 0.5
    fi
    rm -rf "$work"
}
trap cleanup EXIT

passed=0
failed=0
# case NAME FUNCTION: runs FUNCTION (set -e: its first failing command fails it) in a subshell,
# its output in a log shown only when it fails. Not in an if: that would turn set -e off.
case_() {
    local name=$1 function=$2 log="$work/log.$((passed + failed))" status
    ( set -e; "$function" ) >"$log" 2>&1
    status=$?
    if [ $status = 0 ]; then
        passed=$((passed + 1)); echo "  Passed $name"
    else
        failed=$((failed + 1)); echo "  Failed $name"; sed 's/^/      /' "$log" | tail -n 40
    fi
}
problem() { echo "$*" >&2; return 1; }

# A port no TCP socket uses and not handed out before, below the kernel's ephemeral range
# (32768-60999) so that no outgoing connection takes it first; the integration tests take theirs
# from that range. Another process may still bind it first: the test then fails with the bind error.
free_port() {
    local port
    while :; do
        port=$((20000 + RANDOM % 12000))
        grep -qx "$port" "$work/ports" 2>/dev/null && continue
        [ -z "$(ss -Htan "sport = :$port")" ] || continue
        echo "$port" >>"$work/ports"
        echo "$port"
        return
    done
}

# wait_for SECONDS COMMAND...: polls COMMAND every 0.2 s until it succeeds or time runs out.
wait_for() {
    local deadline=$((SECONDS + $1)); shift
    until "$@"; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.2
    done
}

deb="$work/dist/appliance_${version}_amd64.deb"
rpm="$work/dist/appliance-${version}-1.x86_64.rpm"

# ---- build -----------------------------------------------------------------------------------

# The tracked files (and new ones not ignored) only: no bin/, obj/, artifacts/ or dist/ help.
build_from_clean_checkout() {
    local tree="$work/checkout"
    mkdir -p "$tree"
    if git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        (cd "$repo" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
            [ -e "$f" ] && printf '%s\0' "$f"; done | tar --null -T - -cf -) | tar -C "$tree" -xf -
    else
        tar -C "$repo" --exclude=./artifacts --exclude=./dist --exclude=bin --exclude=obj -cf - . | tar -C "$tree" -xf -
    fi
    [ ! -e "$tree/dist" ] && [ ! -e "$tree/artifacts" ] || problem "the copy is not clean"
    "$tree/packaging/build.sh" --binary "$binary" --out "$work/dist"
    [ -f "$deb" ] || problem "no $deb"
    [ -f "$rpm" ] || problem "no $rpm"
}

# ---- contents --------------------------------------------------------------------------------

grafana_files() {
    local f
    for f in "$here"/grafana/*.json; do [ -e "$f" ] && echo "usr/share/appliance/$(basename "$f")"; done
    return 0
}

# Files plus every directory above them, sorted: what an archive listing should show.
with_parents() {
    local path
    while read -r path; do
        echo "$path"
        while [[ "$path" == */* ]]; do path=${path%/*}; echo "$path/"; done
    done | LC_ALL=C sort -u
}

deb_lists_exactly_the_expected_files() {
    local expected actual
    expected=$( { printf '%s\n' etc/appliance/appliance.cfg lib/systemd/system/appliance.service \
        usr/lib/tmpfiles.d/appliance.conf usr/sbin/appliance usr/share/appliance/prometheus-scrape.yml \
        usr/share/doc/appliance/changelog.gz usr/share/doc/appliance/copyright usr/share/man/man8/appliance.8.gz
        grafana_files; } | with_parents)
    actual=$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's#^\./##' | grep -v '^$' | LC_ALL=C sort)
    diff <(echo "$expected") <(echo "$actual") || problem "dpkg-deb -c differs from the expected list (< expected, > actual)"
    # Owned by root, the binary executable, nothing else executable or writable by others.
    dpkg-deb -c "$deb" | awk '$2 != "root/root" {print "owner:", $0}' | grep . && return 1
    dpkg-deb -c "$deb" | grep -E '^-rwxr-xr-x .* \./usr/sbin/appliance$' >/dev/null || problem "binary mode"
    dpkg-deb -c "$deb" | awk '$1 ~ /^-/ && $6 != "./usr/sbin/appliance" && $1 != "-rw-r--r--" {print "mode:", $0}' | grep . && return 1
    # Control data: the version from Directory.Build.props, libc from dpkg-shlibdeps, the conffile.
    [ "$(dpkg-deb -f "$deb" Package Version Architecture | tr '\n' ' ')" = "Package: appliance Version: $version Architecture: amd64 " ] \
        || problem "control: $(dpkg-deb -f "$deb" Package Version Architecture)"
    dpkg-deb -f "$deb" Depends | grep -E '^libc6 \(>= 2\.[0-9]+\), passwd$' || problem "Depends: $(dpkg-deb -f "$deb" Depends)"
    dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | diff - <(echo /etc/appliance/appliance.cfg)
    [ "$(dpkg-deb --ctrl-tarfile "$deb" | tar -t | LC_ALL=C sort | tr '\n' ' ')" = "./ ./conffiles ./control ./md5sums ./postinst ./postrm ./prerm " ] \
        || problem "control members: $(dpkg-deb --ctrl-tarfile "$deb" | tar -t | tr '\n' ' ')"
}

rpm_lists_exactly_the_expected_files() {
    local expected actual
    expected=$( { printf '%s\n' /etc/appliance /etc/appliance/appliance.cfg /usr/lib/systemd/system/appliance.service \
        /usr/lib/tmpfiles.d/appliance.conf /usr/sbin/appliance /usr/share/appliance /usr/share/appliance/prometheus-scrape.yml \
        /usr/share/licenses/appliance /usr/share/licenses/appliance/copyright /usr/share/man/man8/appliance.8.gz
        grafana_files | sed 's#^#/#'; } | LC_ALL=C sort)
    actual=$(rpm -qlp "$rpm" 2>/dev/null | LC_ALL=C sort)
    diff <(echo "$expected") <(echo "$actual") || problem "rpm -qlp differs from the expected list (< expected, > actual)"
    [ "$(rpm -qp --qf '%{NAME} %{VERSION}-%{RELEASE} %{ARCH}' "$rpm" 2>/dev/null)" = "appliance $version-1 x86_64" ] || problem "rpm header"
    # The configuration is %config(noreplace): flags c (config) and n (noreplace).
    rpm -qp --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$rpm" 2>/dev/null | grep -Ex 'cn /etc/appliance/appliance.cfg' \
        || problem "appliance.cfg is not %config(noreplace)"
    rpm -qp --qf '[%{FILEMODES:perms} %{FILEUSERNAME}:%{FILEGROUPNAME} %{FILENAMES}\n]' "$rpm" 2>/dev/null \
        | grep -Ex -- '-rwxr-xr-x root:root /usr/sbin/appliance' || problem "binary mode"
    local tag
    for tag in PREIN POSTIN PREUN POSTUN; do
        rpm -qp --qf "%{$tag}" "$rpm" 2>/dev/null >"$work/scriptlet.$tag"
        [ -s "$work/scriptlet.$tag" ] || problem "no $tag scriptlet"
        sh -n "$work/scriptlet.$tag" || problem "$tag scriptlet does not parse"
    done
}

# Errors fail; a warning must be listed (with its reason) in the README's Install section.
lintian_has_no_errors_and_only_documented_warnings() {
    lintian "$deb" >"$work/lintian.txt" 2>&1 || true
    cat "$work/lintian.txt"
    grep -E '^E: ' "$work/lintian.txt" && problem "lintian errors"
    local tag
    for tag in $(sed -n 's/^W: appliance[^:]*: \([a-z0-9.+-]*\).*/\1/p' "$work/lintian.txt" | sort -u); do
        grep -q -- "\`$tag\`" "$repo/README.md" || problem "lintian warning '$tag' is not listed in README.md"
    done
}

# ---- the unit --------------------------------------------------------------------------------

# systemd-analyze verify with --root needs the targets the unit refers to: this machine's.
unpacked_root() {
    local root="$work/unpacked"
    if [ ! -d "$root" ]; then
        dpkg-deb -x "$deb" "$root"
        cp -n /lib/systemd/system/*.target "$root/lib/systemd/system/"
    fi
    echo "$root"
}

systemd_analyze_verify_accepts_the_unit() {
    local root
    root=$(unpacked_root)
    systemd-analyze verify --root="$root" --man=no appliance.service >"$work/verify.txt" 2>&1 || { cat "$work/verify.txt"; return 1; }
    # It exits 0 on unknown keys and the like too: any message is a failure.
    [ ! -s "$work/verify.txt" ] || { cat "$work/verify.txt"; problem "systemd-analyze verify complained"; }
    # What the unit must say (issue: Type=notify, check before start, appliance reload, ...).
    local unit="$root/lib/systemd/system/appliance.service" line
    for line in Type=notify 'ExecStartPre=/usr/sbin/appliance check -f ${CONFIG}' 'ExecStart=/usr/sbin/appliance run -f ${CONFIG}' \
        Environment=CONFIG=/etc/appliance/appliance.cfg ExecReload=/usr/sbin/appliance\ reload KillMode=mixed Restart=on-failure \
        LimitNOFILE=1048576 AmbientCapabilities=CAP_NET_BIND_SERVICE User=appliance RuntimeDirectory=appliance \
        NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes; do
        grep -qxF -- "$line" "$unit" || problem "the unit lacks '$line'"
    done
}

# Syscall names of a group such as @system-service (groups nest).
syscall_group() {
    local todo=("$1") seen=" " group item
    while [ ${#todo[@]} -gt 0 ]; do
        group=${todo[0]}; todo=("${todo[@]:1}")
        [[ "$seen" == *" $group "* ]] && continue
        seen+="$group "
        for item in $(systemd-analyze syscall-filter "$group" | sed 1d | grep -v '^ *#'); do
            if [[ "$item" == @* ]]; then todo+=("$item"); else echo "$item"; fi
        done
    done | sort -u
}

# The unit's SystemCallFilter=, RestrictAddressFamilies= and MemoryDenyWriteExecute=
# would make the binary fail where it does something they forbid; systemd does not run here, so
# trace what the binary does (start, HTTP and TCP forwarding, metrics, reload, stop) and compare.
the_unit_sandbox_allows_what_the_binary_does() {
    local root dir="$work/sandbox" used
    root=$(unpacked_root)
    mkdir -p "$dir"
    # What the unit allows, read from it: SystemCallFilter= lines add to the allow list, lines
    # with ~ take from it (systemd's rule when the first line is an allow list).
    local unit="$root/lib/systemd/system/appliance.service" entry
    : >"$dir/allow-list"; : >"$dir/deny-list"
    for entry in $(sed -n 's/^SystemCallFilter=\([^~].*\)/\1/p' "$unit"); do syscall_group "$entry" >>"$dir/allow-list"; done
    for entry in $(sed -n 's/^SystemCallFilter=~//p' "$unit"); do syscall_group "$entry" >>"$dir/deny-list"; done
    sort -u "$dir/allow-list" | comm -23 - <(sort -u "$dir/deny-list") >"$dir/allowed"
    [ "$(wc -l <"$dir/allowed")" -gt 300 ] || problem "could not read SystemCallFilter= (allowed: $(wc -l <"$dir/allowed"))"
    local families
    families=$(sed -n 's/^RestrictAddressFamilies=//p' "$unit" | tr ' ' '|')
    [ -n "$families" ] || problem "no RestrictAddressFamilies="
    # Every libc entry point src/Appliance.Native binds, traced or not (splice is only used on big bodies).
    grep -rhoE 'EntryPoint *= *"[a-z0-9_]+"' "$repo/src/Appliance.Native" | grep -oE '"[a-z0-9_]+"' | tr -d '"' \
        | sed 's/^recv$/recvfrom/; s/^send$/sendto/; s/^eventfd$/eventfd2/' | sort -u >"$dir/entry-points"
    [ -s "$dir/entry-points" ] || problem "no entry points found"
    comm -23 "$dir/entry-points" "$dir/allowed" | sed 's/^/not allowed (Native entry point): /' | grep . && return 1
    local web tcp origin
    web=$(free_port); tcp=$(free_port); origin=$(free_port)
    cat >"$dir/appliance.cfg" <<EOF
global
    stats socket $dir/admin.sock mode 600 level admin
defaults
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend web
    mode http
    bind 127.0.0.1:$web
    http-request use-service prometheus-exporter if { path /metrics }
    default_backend origin
frontend tcp
    mode tcp
    bind 127.0.0.1:$tcp
    default_backend origin_tcp
backend origin
    mode http
    server o1 127.0.0.1:$origin check
backend origin_tcp
    mode tcp
    server o1 127.0.0.1:$origin
frontend origin
    mode http
    bind 127.0.0.1:$origin
    http-request return status 200 content-type text/plain string "origin"
EOF
    strace -f -qq -o "$dir/trace" "$root/usr/sbin/appliance" run -f "$dir/appliance.cfg" -S "$dir/master.sock" >"$dir/run.log" 2>&1 &
    local pid=$!
    started "$pid"
    wait_for 60 grep -q 'Appliance ready' "$dir/run.log" || { cat "$dir/run.log"; problem "not ready"; }
    [ "$(curl -fsS --max-time 10 "http://127.0.0.1:$web/")" = origin ] || problem "HTTP"
    curl -fsS --max-time 10 "http://127.0.0.1:$web/metrics" >"$dir/metrics"
    grep -q '^appliance_process_build_info' "$dir/metrics" || problem "metrics"
    printf 'GET / HTTP/1.0\r\n\r\n' | socat -t5 - "TCP:127.0.0.1:$tcp" >"$dir/tcp"
    grep -q origin "$dir/tcp" || problem "TCP"
    "$root/usr/sbin/appliance" reload -S "$dir/master.sock"
    "$root/usr/sbin/appliance" ctl 'show info' -s "$dir/admin.sock" >"$dir/info"
    grep -q '^Name: appliance' "$dir/info" || problem "show info"
    # SIGTERM to the master itself: strace does not pass it on.
    local master
    master=$(sed -nE 's/.*Appliance ready: .*master pid ([0-9]+),.*/\1/p' "$dir/run.log")
    [ -n "$master" ] || problem "no master pid in the log"
    kill -TERM "$master"
    wait "$pid" || problem "exit status $? after SIGTERM"
    used=$(grep -oE '^[0-9]+ +[a-z0-9_]+\(' "$dir/trace" | awk '{print $2}' | tr -d '(' | sort -u)
    [ "$(echo "$used" | wc -l)" -gt 20 ] || problem "trace too short"
    comm -23 <(echo "$used") "$dir/allowed" | sed 's/^/not allowed (traced): /' | grep . && return 1
    grep -oE 'socket\(AF_[A-Z0-9]+' "$dir/trace" | sort -u | grep -vE "\(($families)\$" | sed 's/^/family not allowed: /' | grep . && return 1
    grep -qx MemoryDenyWriteExecute=yes "$unit" || return 0
    grep -E 'mmap\(.*PROT_WRITE\|PROT_EXEC|mmap\(.*PROT_EXEC\|PROT_WRITE|mprotect\(.*PROT_EXEC' "$dir/trace" \
        | sed 's/^/forbidden by MemoryDenyWriteExecute: /' | grep . && return 1
    return 0
}

# ---- install ---------------------------------------------------------------------------------

deb_root="$work/deb-root"

dpkg_in_root() { dpkg --root="$deb_root" --force-script-chrootless "$@"; }

deb_installs_into_a_throwaway_root() {
    mkdir -p "$deb_root/var/lib/dpkg/info" "$deb_root/var/lib/dpkg/updates" "$deb_root/var/lib/dpkg/triggers" "$deb_root/etc"
    : >"$deb_root/var/lib/dpkg/status"
    echo 'root:x:0:0:root:/root:/bin/sh' >"$deb_root/etc/passwd"
    echo 'root:x:0:' >"$deb_root/etc/group"
    echo 'root:*:19000:0:99999:7:::' >"$deb_root/etc/shadow"
    echo 'root:*::' >"$deb_root/etc/gshadow"
    dpkg_in_root --force-depends -i "$deb"
    dpkg --root="$deb_root" -s appliance | grep -qx 'Status: install ok installed'
    # postinst: the system user and group, enabled for multi-user.target, /run/appliance.
    grep -E '^appliance:x:[0-9]+:[0-9]+:[^:]*:/nonexistent:/usr/sbin/nologin$' "$deb_root/etc/passwd" || problem "no appliance user"
    local uid
    uid=$(awk -F: '$1 == "appliance" {print $3}' "$deb_root/etc/passwd")
    [ "$uid" -lt 1000 ] || problem "uid $uid is not a system uid"
    grep -q '^appliance:' "$deb_root/etc/group" || problem "no appliance group"
    [ -L "$deb_root/etc/systemd/system/multi-user.target.wants/appliance.service" ] || problem "not enabled"
    if command -v systemd-tmpfiles >/dev/null; then
        [ "$(stat -c '%a %u' "$deb_root/run/appliance")" = "750 $uid" ] || problem "/run/appliance: $(stat -c '%a %u' "$deb_root/run/appliance")"
    fi
    # A second install (reinstall/upgrade path) keeps the same user.
    dpkg_in_root --force-depends -i "$deb"
    [ "$(grep -c '^appliance:' "$deb_root/etc/passwd")" = 1 ] || problem "user added twice"
}

installed_binary_passes_check_on_the_installed_config() {
    "$deb_root/usr/sbin/appliance" check -f "$deb_root/etc/appliance/appliance.cfg" | grep -qx 'Configuration file is valid'
    [ "$("$deb_root/usr/sbin/appliance" version)" = "appliance $version (native AOT, linux-x64)" ]
}

# run_and_route BINARY CONFIG: runs CONFIG (the packaged default) in the foreground with its ports
# moved to free ones and its sockets to a scratch directory, plus a frontend to a test backend
# (socat, which records the request line); checks the demo, the metrics, the routed request, a
# reload and a clean stop.
run_and_route() {
    local binary=$1 config=$2 dir
    dir=$(mktemp -d "$work/run.XXXXXX")
    local demo metrics site1 site2 front back token
    demo=$(free_port); metrics=$(free_port); site1=$(free_port); site2=$(free_port); front=$(free_port); back=$(free_port)
    token="probe-$RANDOM$RANDOM"
    sed -e "s#/run/appliance/#$dir/#g" -e "s/127\.0\.0\.1:8081\b/127.0.0.1:$demo/" -e "s/127\.0\.0\.1:8405\b/127.0.0.1:$metrics/" \
        -e "s/127\.0\.0\.1:18081\b/127.0.0.1:$site1/g" -e "s/127\.0\.0\.1:18082\b/127.0.0.1:$site2/g" "$config" >"$dir/appliance.cfg"
    ! grep -nE '^[^#]*(:8081|:8405|:1808[12]|/run/appliance)\b' "$dir/appliance.cfg" || problem "the packaged config changed: update the ports here"
    cat >>"$dir/appliance.cfg" <<EOF

frontend package_test
    bind 127.0.0.1:$front
    default_backend package_test

backend package_test
    server backend1 127.0.0.1:$back
EOF
    cat >"$dir/backend.sh" <<EOF
#!/usr/bin/env bash
IFS= read -r line; echo "\${line%\$'\r'}" >>"$dir/backend.log"
while IFS= read -r header && [ -n "\${header%\$'\r'}" ]; do :; done
printf 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \${#1} "\$1"
EOF
    chmod +x "$dir/backend.sh"
    socat "TCP-LISTEN:$back,bind=127.0.0.1,reuseaddr,fork" "SYSTEM:$dir/backend.sh from-test-backend-$token" &
    started "$!"
    "$binary" run -f "$dir/appliance.cfg" -S "$dir/master.sock" >"$dir/run.log" 2>&1 &
    local pid=$!
    started "$pid"
    wait_for 30 grep -q 'Appliance ready' "$dir/run.log" || { cat "$dir/run.log"; problem "not ready in 30 s"; }
    local answer
    answer=$(curl -fsS --max-time 10 "http://127.0.0.1:$front/$token")
    [ "$answer" = "from-test-backend-$token" ] || problem "routed answer: '$answer'"
    grep -qx "GET /$token HTTP/1.1" "$dir/backend.log" || problem "the test backend did not see the request"
    # The packaged demo: both demo sites once health checks pass (round robin), and the metrics.
    wait_for 20 bash -c "curl -fsS --max-time 5 http://127.0.0.1:$demo/ | grep -q 'Hello from demo site'" || problem "demo"
    curl -fsS --max-time 10 "http://127.0.0.1:$metrics/metrics" >"$dir/metrics"
    grep -q "^appliance_process_build_info{version=\"$version\"} 1" "$dir/metrics" || problem "metrics"
    [ "$(curl -fsS --max-time 10 "http://127.0.0.1:$metrics/")" = "Appliance: metrics at /metrics, stats at /stats" ] || problem "metrics hint"
    curl -fsS --max-time 10 "http://127.0.0.1:$metrics/stats" >"$dir/stats.html"
    grep -q '<table' "$dir/stats.html" || problem "stats page"
    curl -fsS --max-time 10 "http://127.0.0.1:$metrics/stats;csv" >"$dir/stats.csv"
    grep -q '^# pxname,svname,' "$dir/stats.csv" || problem "stats page CSV"
    "$binary" reload -S "$dir/master.sock" >"$dir/reload"
    grep -q 'generation 2 serving' "$dir/reload" || problem "reload: $(cat "$dir/reload")"
    answer=$(curl -fsS --max-time 10 "http://127.0.0.1:$front/$token-after-reload")
    [ "$answer" = "from-test-backend-$token" ] || problem "after reload: '$answer'"
    kill -TERM "$pid"
    wait "$pid" || problem "exit status $? after SIGTERM"
}

installed_deb_binary_runs_and_routes_to_a_test_backend() {
    run_and_route "$deb_root/usr/sbin/appliance" "$deb_root/etc/appliance/appliance.cfg"
}

dpkg_remove_keeps_the_conffile() {
    echo "# edited by the package test" >>"$deb_root/etc/appliance/appliance.cfg"
    dpkg_in_root -r appliance
    dpkg --root="$deb_root" -s appliance | grep -qx 'Status: deinstall ok config-files'
    grep -qx '# edited by the package test' "$deb_root/etc/appliance/appliance.cfg" || problem "conffile gone or replaced"
    [ ! -e "$deb_root/usr/sbin/appliance" ] || problem "binary still there"
    [ ! -e "$deb_root/lib/systemd/system/appliance.service" ] || problem "unit still there"
}

dpkg_purge_removes_the_conffile() {
    dpkg_in_root -P appliance
    ! dpkg --root="$deb_root" -s appliance >/dev/null 2>&1 || problem "still known to dpkg"
    [ ! -e "$deb_root/etc/appliance" ] || problem "/etc/appliance still there"
    [ ! -e "$deb_root/etc/systemd/system/multi-user.target.wants/appliance.service" ] || problem "still enabled"
    [ ! -e "$deb_root/run/appliance" ] || problem "/run/appliance still there"
}

rpm_root="$work/rpm-root"

rpm_installs_into_a_throwaway_root_and_runs() {
    mkdir -p "$rpm_root"
    rpm --root "$rpm_root" --dbpath /var/lib/rpm --initdb
    rpm -i --root "$rpm_root" --dbpath /var/lib/rpm --nodeps --noscripts "$rpm" 2>&1 | grep -v '^rpm: \(RPM should not\|However assuming\)' || true
    rpm -q --root "$rpm_root" --dbpath /var/lib/rpm appliance | grep -qx "appliance-$version-1.x86_64"
    rpm -V --root "$rpm_root" --dbpath /var/lib/rpm --nodeps --nouser --nogroup appliance || problem "rpm -V"
    [ "$("$rpm_root/usr/sbin/appliance" version)" = "appliance $version (native AOT, linux-x64)" ]
    "$rpm_root/usr/sbin/appliance" check -f "$rpm_root/etc/appliance/appliance.cfg" | grep -qx 'Configuration file is valid'
    run_and_route "$rpm_root/usr/sbin/appliance" "$rpm_root/etc/appliance/appliance.cfg"
}

# The scripts' systemd branches cannot run in a --root install. Here they run for real, each in a
# private mount namespace with tmpfs over /run (with or without /run/systemd/system, the test of
# "systemd runs here") and over /etc, and with stubs first in PATH for every command that changes
# the system; the stubs record their arguments.
maintainer_scripts_start_the_service_only_where_systemd_runs() {
    local dir="$work/scripts" command
    mkdir -p "$dir/bin" "$dir/deb"
    for command in useradd groupadd getent systemctl systemd-tmpfiles deb-systemd-helper deb-systemd-invoke; do
        printf '#!/bin/sh\necho "%s $*" >>"%s/calls"\n%s\n' "$command" "$dir" \
            "$([ "$command" = getent ] && echo 'exit 2' || echo 'exit 0')" >"$dir/bin/$command"
        chmod +x "$dir/bin/$command"
    done
    dpkg-deb -e "$deb" "$dir/deb"
    local tag
    for tag in PREIN POSTIN PREUN POSTUN; do rpm -qp --qf "%{$tag}" "$rpm" 2>/dev/null >"$dir/rpm.$tag"; done
    # calls SYSTEMD(yes|no) SCRIPT ARGS...: runs it, prints the recorded calls on one line.
    calls() {
        local systemd=$1; shift
        : >"$dir/calls"
        unshare -m sh -c 'mount -t tmpfs tmpfs /run && mount -t tmpfs tmpfs /etc \
            && if [ "$0" = yes ]; then mkdir -p /run/systemd/system; fi && stubs=$1 && shift && exec env -i PATH="$stubs:/usr/sbin:/usr/bin:/sbin:/bin" sh "$@"' \
            "$systemd" "$dir/bin" "$@" >/dev/null || problem "$* failed"
        tr '\n' ';' <"$dir/calls"
    }
    expect() { # expect WHAT ACTUAL PATTERN: ACTUAL must match the extended regex PATTERN
        echo "$2" | grep -qE -- "$3" || problem "$1: expected /$3/ in: $2"
    }
    refuse() { # refuse WHAT ACTUAL PATTERN
        ! echo "$2" | grep -qE -- "$3" || problem "$1: unexpected /$3/ in: $2"
    }
    local out
    out=$(calls no "$dir/deb/postinst" configure "")
    expect "deb install, no systemd" "$out" 'useradd --system --user-group --home-dir /nonexistent .* appliance;'
    expect "deb install, no systemd" "$out" 'systemd-tmpfiles --create appliance.conf;'
    expect "deb install, no systemd" "$out" 'deb-systemd-helper enable appliance.service;'
    refuse "deb install, no systemd" "$out" 'systemctl|deb-systemd-invoke'
    out=$(calls yes "$dir/deb/postinst" configure "")
    expect "deb install, systemd" "$out" 'systemctl --system daemon-reload;deb-systemd-invoke start appliance.service;'
    out=$(calls yes "$dir/deb/postinst" configure 0.0.1)
    expect "deb upgrade, systemd" "$out" 'deb-systemd-invoke restart appliance.service;'
    refuse "deb upgrade, systemd" "$out" 'invoke start'
    out=$(calls yes "$dir/deb/prerm" remove)
    expect "deb prerm remove, systemd" "$out" '^deb-systemd-invoke stop appliance.service;$'
    out=$(calls no "$dir/deb/prerm" remove)
    [ -z "$out" ] || problem "deb prerm remove, no systemd: $out"
    out=$(calls yes "$dir/deb/prerm" upgrade 0.2.0)
    [ -z "$out" ] || problem "deb prerm upgrade stops the service: $out"
    out=$(calls yes "$dir/deb/postrm" remove)
    expect "deb postrm remove, systemd" "$out" 'systemctl --system daemon-reload;'
    out=$(calls no "$dir/deb/postrm" purge)
    expect "deb postrm purge" "$out" 'deb-systemd-helper purge appliance.service;'
    refuse "deb postrm purge, no systemd" "$out" 'systemctl'

    out=$(calls no "$dir/rpm.PREIN" 1)
    expect "rpm %pre" "$out" '^getent group appliance;groupadd --system appliance;getent passwd appliance;useradd --system --gid appliance .* appliance;$'
    out=$(calls no "$dir/rpm.POSTIN" 1)
    expect "rpm %post, no systemd" "$out" '^systemd-tmpfiles --create appliance.conf;$'
    out=$(calls yes "$dir/rpm.POSTIN" 1)
    expect "rpm %post install, systemd" "$out" 'systemctl daemon-reload;systemctl preset appliance.service;$'
    out=$(calls yes "$dir/rpm.POSTIN" 2)
    refuse "rpm %post upgrade, systemd" "$out" 'preset'
    out=$(calls yes "$dir/rpm.PREUN" 0)
    expect "rpm %preun erase, systemd" "$out" '^systemctl --no-reload disable --now appliance.service;$'
    out=$(calls no "$dir/rpm.PREUN" 0)
    [ -z "$out" ] || problem "rpm %preun erase, no systemd: $out"
    out=$(calls yes "$dir/rpm.PREUN" 1)
    [ -z "$out" ] || problem "rpm %preun upgrade: $out"
    out=$(calls yes "$dir/rpm.POSTUN" 1)
    expect "rpm %postun upgrade, systemd" "$out" 'systemctl try-restart appliance.service;$'
    out=$(calls no "$dir/rpm.POSTUN" 1)
    [ -z "$out" ] || problem "rpm %postun, no systemd: $out"
}

# ---- the rest of packaging/ ------------------------------------------------------------------

scrape_example_is_valid_and_targets_the_default_metrics() {
    local root
    root=$(unpacked_root)
    promtool check config "$root/usr/share/appliance/prometheus-scrape.yml"
    grep -q "targets: \['127.0.0.1:8405'\]" "$root/usr/share/appliance/prometheus-scrape.yml"
    grep -qE '^ +bind 127\.0\.0\.1:8405$' "$root/etc/appliance/appliance.cfg"
}

dockerfile_copies_what_exists_and_exposes_the_config_ports() {
    local dockerfile="$here/docker/Dockerfile" source ports binds
    for source in $(awk '$1 == "COPY" {print $2}' "$dockerfile"); do
        case "$source" in
            artifacts/publish/appliance) ;;   # made by dotnet publish, as the Dockerfile says
            *) [ -e "$repo/$source" ] || problem "COPY $source: no such file" ;;
        esac
        grep -qx "!$source" "$here/docker/Dockerfile.dockerignore" || problem "$source is not in the build context"
    done
    "$binary" check -f "$here/docker/appliance.cfg" | grep -qx 'Configuration file is valid'
    ports=$(awk '$1 == "EXPOSE" {for (i = 2; i <= NF; i++) print $i}' "$dockerfile" | sort)
    binds=$(sed -nE 's/^ +bind :([0-9]+)$/\1/p' "$here/docker/appliance.cfg" | sort)
    [ -n "$ports" ] && [ "$ports" = "$binds" ] || problem "EXPOSE '$ports' vs binds on all addresses '$binds'"
}

echo "Package tests (version $version)"
case_ "both packages build from a clean checkout" build_from_clean_checkout
if [ -f "$deb" ] && [ -f "$rpm" ]; then
    case_ "dpkg-deb -c lists exactly the expected files" deb_lists_exactly_the_expected_files
    case_ "rpm -qlp lists exactly the expected files" rpm_lists_exactly_the_expected_files
    case_ "lintian: no errors, warnings documented" lintian_has_no_errors_and_only_documented_warnings
    case_ "systemd-analyze verify accepts the unit" systemd_analyze_verify_accepts_the_unit
    case_ "the unit's sandbox allows what the binary does" the_unit_sandbox_allows_what_the_binary_does
    case_ "maintainer scripts start the service only where systemd runs" maintainer_scripts_start_the_service_only_where_systemd_runs
    case_ "dpkg -i into a throwaway root" deb_installs_into_a_throwaway_root
    case_ "installed binary passes check on the installed config" installed_binary_passes_check_on_the_installed_config
    case_ "installed binary runs and routes to a test backend" installed_deb_binary_runs_and_routes_to_a_test_backend
    case_ "dpkg -r keeps the conffile" dpkg_remove_keeps_the_conffile
    case_ "dpkg -P removes the conffile" dpkg_purge_removes_the_conffile
    case_ "rpm -i --root into a throwaway root, binary runs" rpm_installs_into_a_throwaway_root_and_runs
    case_ "Prometheus scrape example" scrape_example_is_valid_and_targets_the_default_metrics
    case_ "Dockerfile" dockerfile_copies_what_exists_and_exposes_the_config_ports
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
