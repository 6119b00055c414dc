#!/usr/bin/env bash
# Installs Fairlane as a systemd service on this host. Safe to run again: it republishes, refreshes
# the units and the examples, and never overwrites settings an operator has written.
#
#   deploy/systemd/install.sh [--instances N] [--no-publish] [--enable] [--destdir DIR]
#
#   --instances N  0 (default): one node, fairlane.service. N >= 1: N nodes on this host,
#                  fairlane@1 .. fairlane@N, with metrics ports 9401 .. 9400+N and admin ports
#                  9501 .. 9500+N (/etc/fairlane/<i>.env).
#   --no-publish   keep what is in /opt/fairlane instead of running `dotnet publish` (e.g. when the
#                  build was copied here from a build host).
#   --enable       enable the units and (re)start them.
#   --destdir DIR  stage every file under DIR instead of / (packaging, tests): no user is created,
#                  nothing is chowned and systemctl is not called.
#
# What it does: dotnet publish src/Worker -c Release into /opt/fairlane (through a fresh directory that
# then replaces the old one, so no stale assembly survives an upgrade); a `fairlane` system user and
# group; /etc/fairlane with the example settings and, only when missing, fairlane.env and <i>.env;
# both units in /etc/systemd/system with a drop-in that tells the apphost where .NET is; daemon-reload.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/lib/common.sh
source "$here/../../scripts/lib/common.sh"

instances=0
publish=1
enable=0
destdir=""
while [ "$#" -gt 0 ]; do
  case "$1" in
    --instances)
      if [ "$#" -lt 2 ] || ! [[ "$2" =~ ^[0-9]+$ ]] || [ "$2" -gt 100 ]; then die "--instances takes a number from 0 to 100"; fi
      instances="$2"
      shift 2
      ;;
    --no-publish) publish=0; shift ;;
    --enable) enable=1; shift ;;
    --destdir)
      if [ "$#" -lt 2 ] || [ -z "$2" ]; then die "--destdir takes a directory"; fi
      destdir="$(realpath -m "$2")"
      shift 2
      ;;
    -h | --help)
      sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

staged() { [ -n "$destdir" ]; }
if ! staged && [ "$(id -u)" -ne 0 ]; then die "run as root (or with --destdir to stage the files)"; fi
if [ "$enable" = 1 ] && staged; then die "--enable cannot be combined with --destdir"; fi

app_dir="$destdir/opt/fairlane"
etc_dir="$destdir/etc/fairlane"
unit_dir="$destdir/etc/systemd/system"

# The apphost (/opt/fairlane/fairlane) finds the shared .NET runtime through DOTNET_ROOT. ProtectHome=
# hides /home and /root from the service, so a runtime installed there cannot serve it.
dotnet_root="${DOTNET_ROOT:-}"
if [ -z "$dotnet_root" ]; then
  command -v dotnet >/dev/null || die "dotnet is not on PATH: install the .NET 10 runtime (and the SDK to publish) or set DOTNET_ROOT"
  dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
fi
case "$dotnet_root" in
  /home/* | /root/* | /run/user/*)
    die ".NET lives in $dotnet_root, which the unit's ProtectHome=yes hides from the service: install it system-wide (e.g. /usr/share/dotnet)" ;;
esac

if [ "$publish" = 1 ]; then
  command -v dotnet >/dev/null || die "dotnet (the .NET 10 SDK) is needed to publish; or use --no-publish"
  log "publishing src/Worker (Release) to $app_dir"
  mkdir -p "$(dirname "$app_dir")"
  rm -rf "$app_dir.new"
  dotnet publish "$FAIRLANE_ROOT/src/Worker/Fairlane.Worker.csproj" -c Release -o "$app_dir.new" --nologo -v quiet
  install -m 0644 "$FAIRLANE_ROOT/README.md" "$app_dir.new/README.md"
  # Swap directories rather than publish over the old build: a running node keeps its open files.
  rm -rf "$app_dir.old"
  if [ -d "$app_dir" ]; then mv "$app_dir" "$app_dir.old"; fi
  mv "$app_dir.new" "$app_dir"
  rm -rf "$app_dir.old"
fi
[ -x "$app_dir/fairlane" ] || die "$app_dir/fairlane is missing: run without --no-publish, or copy a publish output there"

if ! staged; then
  if ! getent group fairlane >/dev/null; then groupadd --system fairlane; fi
  if ! getent passwd fairlane >/dev/null; then
    log "creating the system user fairlane"
    useradd --system --gid fairlane --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin \
      --comment "Fairlane worker" fairlane
  fi
fi

# /etc/fairlane holds secrets: readable by root and the service's group only.
mkdir -p "$etc_dir"
chmod 0750 "$etc_dir"
staged || chown root:fairlane "$etc_dir"

# install_settings SRC DEST: installs DEST from SRC unless it exists (an operator's settings stay).
install_settings() {
  if [ -e "$2" ]; then
    log "keeping $2"
    return 0
  fi
  install -m 0640 "$1" "$2"
  staged || chown root:fairlane "$2"
  log "wrote $2"
}
install -m 0644 "$here/fairlane.env.example" "$etc_dir/fairlane.env.example"
install -m 0644 "$here/instance.env.example" "$etc_dir/instance.env.example"
install_settings "$here/fairlane.env.example" "$etc_dir/fairlane.env"
for ((i = 1; i <= instances; i++)); do
  port=$((9400 + i))
  tmp="$(mktemp)"
  sed -e "s/^FAIRLANE__HTTP__METRICSPORT=.*/FAIRLANE__HTTP__METRICSPORT=$port/" \
      -e "s/^FAIRLANE__ADMIN__PORT=.*/FAIRLANE__ADMIN__PORT=$((9500 + i))/" "$here/instance.env.example" >"$tmp"
  install_settings "$tmp" "$etc_dir/$i.env"
  rm -f "$tmp"
done

mkdir -p "$unit_dir"
install -m 0644 "$here/fairlane.service" "$unit_dir/fairlane.service"
install -m 0644 "$here/fairlane@.service" "$unit_dir/fairlane@.service"
for unit in fairlane.service fairlane@.service; do
  mkdir -p "$unit_dir/$unit.d"
  printf '# Written by deploy/systemd/install.sh: where the apphost finds the .NET runtime.\n[Service]\nEnvironment=DOTNET_ROOT=%s\n' \
    "$dotnet_root" >"$unit_dir/$unit.d/10-dotnet-root.conf"
  chmod 0644 "$unit_dir/$unit.d/10-dotnet-root.conf"
done

if [ "$instances" -eq 0 ]; then units=(fairlane.service); else units=(); fi
for ((i = 1; i <= instances; i++)); do units+=("fairlane@$i.service"); done

if staged; then
  log "staged under $destdir: ${units[*]}"
  exit 0
fi
if [ ! -d /run/systemd/system ]; then
  log "systemd is not running here: files installed, daemon-reload skipped"
  exit 0
fi
systemctl daemon-reload
if [ "$enable" = 1 ]; then
  systemctl enable "${units[@]}"
  systemctl restart "${units[@]}"
  log "enabled and started ${units[*]}"
else
  log "installed; set /etc/fairlane/fairlane.env, then: systemctl enable --now ${units[*]}"
fi
