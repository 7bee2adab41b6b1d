#!/usr/bin/env bash
# A streaming replica of the machine's PostgreSQL (127.0.0.1:5432) on 127.0.0.1:5433 (REPLICA_PORT),
# for the tests of reads sent to a replica: a base backup (pg_basebackup) of the primary, started
# as a hot standby that follows it. Run as root; does nothing if the port answers already.
set -euo pipefail

port="${REPLICA_PORT:-5433}"
data="${REPLICA_DIR:-/var/lib/postgresql/jobfair-replica}"
version="$(ls /etc/postgresql | sort -V | tail -1)"
bin="/usr/lib/postgresql/$version/bin"

if pg_isready -q -h 127.0.0.1 -p "$port"; then
    echo "A server answers on 127.0.0.1:$port already."
    exit 0
fi

# The primary must let a replication connection in from 127.0.0.1 (Debian's pg_hba.conf does not).
hba="$(psql -h 127.0.0.1 -U postgres -d postgres -Atc 'SHOW hba_file')"
if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127.0.0.1/32' "$hba"; then
    echo "host replication all 127.0.0.1/32 trust" >>"$hba"
    psql -h 127.0.0.1 -U postgres -d postgres -qAtc 'SELECT pg_reload_conf()' >/dev/null
fi

rm -rf "$data"
install -d -o postgres -g postgres -m 700 "$data"
runuser -u postgres -- "$bin/pg_basebackup" -h 127.0.0.1 -p 5432 -U postgres -D "$data" \
    --write-recovery-conf --wal-method=stream --checkpoint=fast
# Debian keeps the primary's configuration outside its data directory: the replica gets its own.
cat >"$data/postgresql.conf" <<CONF
port = $port
listen_addresses = '127.0.0.1'
hot_standby = on
hot_standby_feedback = on
max_standby_streaming_delay = 30s
CONF
printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$data/pg_hba.conf"
chown postgres:postgres "$data/postgresql.conf" "$data/pg_hba.conf"
runuser -u postgres -- "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w start >/dev/null
for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$port" && {
        echo "A streaming replica answers on 127.0.0.1:$port."
        exit 0
    }
    sleep 1
done
echo "FAIL: the replica on 127.0.0.1:$port did not start; see $data/server.log." >&2
exit 1
