#!/usr/bin/env bash
# Installs, starts and stops a private Postfix + Dovecot SASL instance for the integration tests
# in test/mta/. Everything it generates lives under .mta/ in the project root (git-ignored); the
# system-wide services the Debian packages bring are left stopped and unconfigured.
#
#   bash test/mta/setup.sh install   # apt-get install postfix dovecot-core (as root; idempotent)
#   bash test/mta/setup.sh start     # write .mta/, start both, wait for 220 on every port
#   bash test/mta/setup.sh stop      # stop both
#   bash test/mta/setup.sh status    # exit 0 when all three ports answer 220
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
mta="$root/.mta"
host=127.0.0.1
port_submission=10587
port_smtps=10465
port_plain=10025
user='tester@smtp-notify.test'
password='s3cret-Pässword!'
packages=(postfix dovecot-core)

die() {
  echo "setup.sh: $*" >&2
  exit 1
}

install_packages() {
  local missing=()
  for pkg in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$pkg")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    echo "setup.sh: ${packages[*]} already installed"
    return
  fi
  [ "$(id -u)" -eq 0 ] || die "install needs root (apt-get install ${missing[*]})"
  # "No configuration" leaves /etc/postfix without a main.cf, so the system instance cannot
  # start or grab port 25; we run our own instance from .mta/ instead.
  echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
  # Keep the packages' init scripts from starting system-wide daemons during the install
  # (policy-rc.d exit 101 = "action forbidden"); removed again if we created it.
  local policy=/usr/sbin/policy-rc.d created_policy=''
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    created_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null ||
    { [ -n "$created_policy" ] && rm -f "$policy"; die "apt-get install ${missing[*]} failed"; }
  [ -n "$created_policy" ] && rm -f "$policy"
  stop_system_services
}

# If a system instance runs anyway (e.g. a machine with an init that ignores policy-rc.d), stop
# it: the Debian dovecot would otherwise hold /run/dovecot and the standard ports.
stop_system_services() {
  if [ -e /run/dovecot/master.pid ]; then doveadm stop >/dev/null 2>&1 || true; fi
  if [ -e /etc/postfix/main.cf ] && postfix status >/dev/null 2>&1; then
    postfix stop >/dev/null 2>&1 || true
  fi
}

# Mail is delivered as this system user; the Maildir files belong to it.
delivery_user=nobody
delivery_group=nogroup
var="$mta/var"

# shellcheck source=test/mta/config.sh
source "$root/test/mta/config.sh"

write_settings() {
  # JSON through node, so the non-ASCII password and the PEM are escaped correctly.
  MTA_DIR="$mta" MTA_VAR="$var" ROOT="$root" MTA_USER="$user" MTA_PASSWORD="$password" node -e '
    const fs = require("node:fs");
    const env = process.env;
    const settings = {
      host: "'"$host"'",
      ports: { submission: '"$port_submission"', smtps: '"$port_smtps"', plain: '"$port_plain"' },
      user: env.MTA_USER,
      password: env.MTA_PASSWORD,
      ca: fs.readFileSync(env.ROOT + "/test/fixtures/tls/ca.pem", "utf8"),
      maildir: env.MTA_VAR + "/mail",
      messageSizeLimit: 10485760,
    };
    fs.writeFileSync(env.MTA_DIR + "/settings.json", JSON.stringify(settings, null, 2) + "\n");
  '
}

# Succeeds when every port answers with a 220 greeting (over TLS for implicit TLS).
probe_ports() {
  MTA_CA="$root/test/fixtures/tls/ca.pem" node -e '
    const net = require("node:net"), tls = require("node:tls"), fs = require("node:fs");
    const ca = fs.readFileSync(process.env.MTA_CA);
    const probe = (port, secure) => new Promise((resolve) => {
      const socket = secure
        ? tls.connect({ host: "'"$host"'", port, ca, servername: "localhost" })
        : net.connect({ host: "'"$host"'", port });
      let text = "";
      const done = (ok) => { socket.destroy(); resolve(ok); };
      socket.setTimeout(3000, () => done(false));
      socket.on("error", () => done(false));
      socket.on("data", (d) => { text += d; if (text.includes("\n")) done(/^220[ -]/.test(text)); });
    });
    Promise.all([probe('"$port_submission"', false), probe('"$port_smtps"', true),
      probe('"$port_plain"', false)]).then((r) => process.exit(r.every(Boolean) ? 0 : 1));
  '
}

show_logs() {
  for log in "$mta/var/log/postfix.log" "$mta/var/log/dovecot.log"; do
    echo "----- $log" >&2
    if [ -f "$log" ]; then tail -n 60 "$log" >&2 && echo >&2; else echo '(missing)' >&2; fi
  done
}

# Runtime state (queue, Maildirs, sockets, logs) lives in .mta/var. The Postfix daemons and the
# delivery agent run as unprivileged users and need to search every parent folder, and Unix
# socket paths are limited to 107 bytes; where the checkout allows neither (e.g. under a mode-700
# home), .mta/var becomes a link to a fresh folder under /tmp instead.
prepare_var_dir() {
  local reachable=1 who
  for who in postfix "$delivery_user"; do
    setpriv --reuid="$who" --regid="$(id -g "$who")" --clear-groups test -x "$mta" || reachable=''
  done
  if [ -n "$reachable" ] && [ "${#mta}" -le 60 ]; then
    mkdir -p "$mta/var"
  else
    local tmp
    tmp="$(mktemp -d /tmp/smtp-notify-mta.XXXXXX)"
    chmod 755 "$tmp"
    ln -s "$tmp" "$mta/var"
    echo "setup.sh: $mta is not reachable by the mail users (or too long); state is in $tmp"
  fi
  var="$(readlink -f "$mta/var")"
  mkdir -p "$var/log" "$var/mail" "$var/data" "$var/spool" "$var/dovecot"
  chown "$delivery_user:$delivery_group" "$var/mail"
  chown postfix:postfix "$var/data"
  chmod 700 "$var/data"
}

start_mta() {
  [ "$(id -u)" -eq 0 ] || die "start needs root (Postfix and Dovecot drop privileges themselves)"
  command -v postfix >/dev/null && command -v dovecot >/dev/null ||
    die "postfix or dovecot missing: run 'bash test/mta/setup.sh install' first"
  stop_mta >/dev/null 2>&1 || true
  if [ -L "$mta/var" ]; then rm -rf "$(readlink -f "$mta/var")"; fi
  rm -rf "$mta"
  mkdir -p "$mta"
  chmod 755 "$mta"
  prepare_var_dir
  write_postfix_config
  write_dovecot_config
  write_settings
  # Postfix first: its post-install creates spool/private, where Dovecot puts the auth socket.
  postfix -c "$mta/postfix" start || { show_logs; die "postfix failed to start"; }
  dovecot -c "$mta/dovecot/dovecot.conf" || { show_logs; die "dovecot failed to start"; }
  for _ in $(seq 1 60); do
    if probe_ports; then
      echo "setup.sh: MTA ready on $host:$port_submission (STARTTLS), $port_smtps (TLS)," \
        "$port_plain (plain); settings in $mta/settings.json"
      return
    fi
    sleep 0.5
  done
  show_logs
  die "the MTA did not answer 220 on all ports within 30 s"
}

stop_mta() {
  if [ -f "$mta/postfix/main.cf" ]; then postfix -c "$mta/postfix" stop || true; fi
  if [ -f "$mta/var/dovecot/master.pid" ]; then
    local pid
    pid="$(cat "$mta/var/dovecot/master.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  fi
}

case "${1:-}" in
  install) install_packages ;;
  start) start_mta ;;
  stop) stop_mta ;;
  status) probe_ports && echo "setup.sh: MTA up" || die "MTA not answering on every port" ;;
  *) die "usage: $0 install|start|stop|status" ;;
esac
