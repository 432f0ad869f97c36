#!/usr/bin/env bash
# Entrypoint of devenv's stand-in postgres image; follows the official image's docker-entrypoint.sh:
# - as root: fix ownership of $PGDATA and the socket directory, then re-exec as `postgres` (setpriv);
# - on an empty $PGDATA: initdb with POSTGRES_USER / POSTGRES_PASSWORD, password (scram-sha-256) auth
#   for remote hosts, create POSTGRES_DB, run /docker-entrypoint-initdb.d/* once against a temporary
#   server that listens on the Unix socket only (so TCP readiness checks fail until the real start);
# - exec the command (`postgres` by default; a first argument starting with `-` is passed to postgres).
set -Eeo pipefail

# file_env VAR [DEFAULT]: VAR, or the content of the file named by VAR_FILE, or DEFAULT.
file_env() {
  local var=$1 file_var="${1}_FILE" default=${2:-}
  if [[ -n ${!var:-} && -n ${!file_var:-} ]]; then
    echo >&2 "error: both $var and $file_var are set (but are exclusive)"
    exit 1
  fi
  local value=$default
  if [[ -n ${!var:-} ]]; then
    value=${!var}
  elif [[ -n ${!file_var:-} ]]; then
    value=$(<"${!file_var}")
  fi
  export "$var"="$value"
  unset "$file_var"
}

if [[ ${1:0:1} == - ]]; then
  set -- postgres "$@"
fi

if [[ $1 == postgres && $(id -u) == 0 ]]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA" || :
  find "$PGDATA" \! -user postgres -exec chown postgres '{}' +
  mkdir -p /var/run/postgresql
  chown postgres:postgres /var/run/postgresql
  chmod 3777 /var/run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

if [[ $1 == postgres ]]; then
  file_env POSTGRES_PASSWORD
  file_env POSTGRES_USER postgres
  file_env POSTGRES_DB "$POSTGRES_USER"
  file_env POSTGRES_INITDB_ARGS

  if [[ -s $PGDATA/PG_VERSION ]]; then
    echo
    echo 'PostgreSQL Database directory appears to contain a database; Skipping initialization'
    echo
  else
    if [[ -z $POSTGRES_PASSWORD && ${POSTGRES_HOST_AUTH_METHOD:-} != trust ]]; then
      cat >&2 <<'EOM'
Error: Database is uninitialized and superuser password is not specified.
       You must specify POSTGRES_PASSWORD to a non-empty value for the
       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".

       You may also use "POSTGRES_HOST_AUTH_METHOD=trust" to allow all
       connections without a password. This is *not* recommended.
EOM
      exit 1
    fi

    # initdb, with the superuser's password when there is one. POSTGRES_INITDB_ARGS is a
    # shell-quoted string, as in the official image.
    if [[ -n $POSTGRES_PASSWORD ]]; then
      eval 'initdb --username="$POSTGRES_USER" --pwfile=<(printf "%s\n" "$POSTGRES_PASSWORD") '"$POSTGRES_INITDB_ARGS"
    else
      eval 'initdb --username="$POSTGRES_USER" '"$POSTGRES_INITDB_ARGS"
    fi

    # Remote hosts authenticate with the configured password encryption (scram-sha-256), unless told.
    auth=$(postgres -C password_encryption)
    : "${POSTGRES_HOST_AUTH_METHOD:=$auth}"
    {
      printf '\n'
      if [[ $POSTGRES_HOST_AUTH_METHOD == trust ]]; then
        printf '# warning trust is enabled for all connections\n'
      fi
      printf 'host all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD"
    } >>"$PGDATA/pg_hba.conf"

    # A temporary server on the Unix socket only, for the database and the init scripts.
    export PGPASSWORD=${PGPASSWORD:-$POSTGRES_PASSWORD}
    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p ${PGPORT:-5432}" -w start

    psql=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
    if [[ $POSTGRES_DB != postgres ]]; then
      exists=$("${psql[@]}" --dbname postgres --set db="$POSTGRES_DB" --tuples-only \
        <<<"SELECT 1 FROM pg_database WHERE datname = :'db' ;")
      if [[ -z ${exists// /} ]]; then
        "${psql[@]}" --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db" ;'
        echo
      fi
    fi
    psql+=(--dbname "$POSTGRES_DB")

    echo
    for f in /docker-entrypoint-initdb.d/*; do
      [[ -e $f ]] || continue
      case $f in
        *.sh)
          if [[ -x $f ]]; then
            echo "$0: running $f"
            "$f"
          else
            echo "$0: sourcing $f"
            # shellcheck disable=SC1090
            . "$f"
          fi
          ;;
        *.sql) echo "$0: running $f" && "${psql[@]}" -f "$f" && echo ;;
        *.sql.gz) echo "$0: running $f" && gunzip -c "$f" | "${psql[@]}" && echo ;;
        *.sql.xz) echo "$0: running $f" && xzcat "$f" | "${psql[@]}" && echo ;;
        *.sql.zst) echo "$0: running $f" && zstd -dc "$f" | "${psql[@]}" && echo ;;
        *) echo "$0: ignoring $f" ;;
      esac
    done

    pg_ctl -D "$PGDATA" -m fast -w stop
    unset PGPASSWORD

    echo
    echo 'PostgreSQL init process complete; ready for start up.'
    echo
  fi
fi

exec "$@"
