#!/usr/bin/env bash
# Builds the appliance packages:
#   dist/appliance_VERSION_amd64.deb       (dpkg-deb)
#   dist/appliance-VERSION-1.x86_64.rpm    (rpmbuild, packaging/rpm/appliance.spec)
# VERSION is <Version> in Directory.Build.props, the one place the version is written (the binary
# reports the same through BuildInfo.Version, and build.sh refuses a binary that says otherwise).
#
# Usage: packaging/build.sh [--binary PATH] [--out DIR]
#   --binary PATH  package this native AOT binary instead of publishing one (test.sh passes the
#                  binary it has already published and checked)
#   --out DIR      where the packages go (default: dist/ in the repository)
# Needs: dotnet (unless --binary), dpkg-deb and dpkg-shlibdeps (dpkg-dev), rpmbuild (rpm), gzip.
set -euo pipefail
umask 022

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
binary=""
out="$repo/dist"
while [ $# -gt 0 ]; do
    case "$1" in
        --binary) binary=$(realpath "$2"); shift 2 ;;
        --out) mkdir -p "$2"; out=$(realpath "$2"); shift 2 ;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "build.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
    esac
done

fail() { echo "build.sh: $*" >&2; exit 1; }
for tool in dpkg-deb dpkg-shlibdeps rpmbuild gzip; do
    command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install dpkg-dev rpm)"
done

version=$(sed -n 's:.*<Version>\([^<]*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -n 1)
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "no X.Y.Z <Version> in Directory.Build.props (found '$version')"
maintainer="Appliance maintainers <maintainers@appliance.example.org>"
# Reproducible dates: the last commit's, else now (an exported tree without git).
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    SOURCE_DATE_EPOCH=$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s)
fi
export SOURCE_DATE_EPOCH

work=$(mktemp -d "${TMPDIR:-/tmp}/appliance-packaging.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ -z "$binary" ]; then
    echo "Publishing the native AOT binary"
    log="$work/publish.log"
    dotnet publish "$repo/src/Appliance" -c Release -r linux-x64 -o "$work/publish" -nologo >"$log" 2>&1 \
        || { cat "$log"; fail "dotnet publish failed"; }
    if grep -qE 'warning (IL|AOT)[0-9]+' "$log"; then cat "$log"; fail "the AOT publish warned"; fi
    binary="$work/publish/appliance"
fi
[ -x "$binary" ] || fail "no executable binary at $binary"
reported=$("$binary" version) || fail "$binary version failed"
[[ "$reported" == "appliance $version "* ]] || fail "$binary reports '$reported', expected version $version (stale build?)"

# Files both packages carry, at the same paths.
common="$work/common"
install -D -m 0755 "$binary" "$common/usr/sbin/appliance"
install -D -m 0644 "$here/appliance.cfg" "$common/etc/appliance/appliance.cfg"
install -D -m 0644 "$here/appliance.tmpfiles" "$common/usr/lib/tmpfiles.d/appliance.conf"
mkdir -p "$common/usr/share/man/man8"
date_text=$(date -u -d "@$SOURCE_DATE_EPOCH" '+%B %Y')
sed -e "s/@VERSION@/$version/g" -e "s/@DATE@/$date_text/g" "$here/appliance.8" \
    | gzip -9n >"$common/usr/share/man/man8/appliance.8.gz"
install -D -m 0644 "$here/prometheus/appliance-scrape.yml" "$common/usr/share/appliance/prometheus-scrape.yml"
# The Grafana dashboards, whatever packaging/grafana holds.
for dashboard in "$here"/grafana/*.json; do
    [ -e "$dashboard" ] || continue
    install -D -m 0644 "$dashboard" "$common/usr/share/appliance/$(basename "$dashboard")"
done

# ---- .deb ------------------------------------------------------------------------------------
deb="$work/deb"
cp -a "$common" "$deb"
install -D -m 0644 "$here/appliance.service" "$deb/lib/systemd/system/appliance.service"
install -D -m 0644 "$here/copyright" "$deb/usr/share/doc/appliance/copyright"
# A native package (no Debian revision): its changelog is changelog.gz, one entry per version.
changelog_date=$(date -u -R -d "@$SOURCE_DATE_EPOCH")
printf 'appliance (%s) unstable; urgency=medium\n\n  * Release %s.\n\n -- %s  %s\n' \
    "$version" "$version" "$maintainer" "$changelog_date" | gzip -9n >"$deb/usr/share/doc/appliance/changelog.gz"
chmod 0644 "$deb/usr/share/doc/appliance/changelog.gz"

# Depends from the binary's shared libraries, as dh_shlibdeps would compute it.
mkdir -p "$work/shlibs/debian"
printf 'Source: appliance\n\nPackage: appliance\nArchitecture: amd64\n' >"$work/shlibs/debian/control"
shlibs=$(cd "$work/shlibs" && dpkg-shlibdeps -O "$deb/usr/sbin/appliance" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
[ -n "$shlibs" ] || fail "dpkg-shlibdeps found no dependencies for the binary"

mkdir -p "$deb/DEBIAN"
installed_size=$(du -k -s --apparent-size --exclude=DEBIAN "$deb" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@MAINTAINER@/$maintainer/" -e "s/@INSTALLED_SIZE@/$installed_size/" \
    -e "s/@SHLIBS_DEPENDS@/$shlibs/" "$here/deb/control" >"$deb/DEBIAN/control"
install -m 0644 "$here/deb/conffiles" "$deb/DEBIAN/conffiles"
for script in postinst prerm postrm; do
    install -m 0755 "$here/deb/$script" "$deb/DEBIAN/$script"
done
(cd "$deb" && find . -path ./DEBIAN -prune -o -type f -printf '%P\n' | LC_ALL=C sort | xargs md5sum) >"$deb/DEBIAN/md5sums"
chmod 0644 "$deb/DEBIAN/md5sums"
find "$deb" -type d -exec chmod 0755 {} +

mkdir -p "$out"
deb_file="$out/appliance_${version}_amd64.deb"
dpkg-deb --root-owner-group -Zxz --build "$deb" "$deb_file" >/dev/null

# ---- .rpm ------------------------------------------------------------------------------------
rpm_stage="$work/rpm-stage"
cp -a "$common" "$rpm_stage"
install -D -m 0644 "$here/appliance.service" "$rpm_stage/usr/lib/systemd/system/appliance.service"
install -D -m 0644 "$here/copyright" "$rpm_stage/usr/share/licenses/appliance/copyright"
find "$rpm_stage" -type d -exec chmod 0755 {} +
rpmbuild -bb --quiet --target x86_64 \
    --define "_topdir $work/rpmbuild" \
    --define "appliance_version $version" \
    --define "appliance_stage $rpm_stage" \
    --define "_buildhost appliance-build" \
    --define "use_source_date_epoch_as_buildtime 1" \
    --define "clamp_mtime_to_source_date_epoch 1" \
    "$here/rpm/appliance.spec" >"$work/rpmbuild.log" 2>&1 \
    || { cat "$work/rpmbuild.log"; fail "rpmbuild failed"; }
rpm_file="$out/appliance-${version}-1.x86_64.rpm"
cp "$work/rpmbuild/RPMS/x86_64/appliance-${version}-1.x86_64.rpm" "$rpm_file"

echo "$deb_file"
echo "$rpm_file"
