#!/usr/bin/env bash
# Brings up everything the test suite talks to, on loopback only, and is safe to run again:
# Debian packages (ansible, openssh-server, PostgreSQL, NATS), a running PostgreSQL and a
# NATS server with JetStream. Tests create and drop their own databases.
set -euo pipefail

need_pkgs=()
command -v ansible-playbook >/dev/null || need_pkgs+=(ansible)
[ -x /usr/sbin/sshd ] || need_pkgs+=(openssh-server)
command -v pg_ctlcluster >/dev/null || need_pkgs+=(postgresql)
[ -x /usr/sbin/nats-server ] || need_pkgs+=(nats-server)
command -v tmux >/dev/null || need_pkgs+=(tmux)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "test-services: missing Debian packages: ${need_pkgs[*]} (install them as root)" >&2
    exit 1
  fi
  echo "test-services: installing ${need_pkgs[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}" >/dev/null
fi

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432; }
if ! pg_up; then
  echo "test-services: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || { echo "test-services: PostgreSQL did not come up on 127.0.0.1:5432" >&2; exit 1; }
fi
# Trust auth for user postgres on loopback is the machine's setup; fail clearly if it is not.
psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null \
  || { echo "test-services: cannot connect as postgres@127.0.0.1:5432" >&2; exit 1; }

nats_up() { (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; }
if ! nats_up; then
  echo "test-services: starting NATS with JetStream"
  mkdir -p /var/lib/nats-server
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  for _ in $(seq 1 30); do nats_up && break; sleep 1; done
  nats_up || { echo "test-services: NATS did not come up on 127.0.0.1:4222" >&2; exit 1; }
fi
echo "test-services: PostgreSQL 127.0.0.1:5432 and NATS 127.0.0.1:4222 are up"
