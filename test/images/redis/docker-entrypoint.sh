#!/bin/sh
# Entrypoint of devenv's stand-in redis image; follows the official image's docker-entrypoint.sh.
set -e

# `-f`, `--some-option` or `something.conf` as first argument: arguments for redis-server.
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
  set -- redis-server "$@"
fi

# As root: own the data directory, then re-exec as `redis`.
if [ "$1" = 'redis-server' ] && [ "$(id -u)" = '0' ]; then
  find . \! -user redis -exec chown redis '{}' +
  exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi

# A stricter umask for the data files, unless one was chosen.
um="$(umask)"
if [ "$um" = '0022' ]; then
  umask 0077
fi

# Protected mode would refuse every client outside the container; turn it off unless the given
# config file decides (the official image does the same).
if [ "$1" = 'redis-server' ]; then
  do_protected_mode=1
  config_file=
  if [ -f "${2:-}" ]; then
    config_file="$2"
    if grep -q '^protected-mode' "$config_file"; then
      do_protected_mode=
    fi
  fi
  if [ "$do_protected_mode" ]; then
    shift # redis-server
    if [ "$config_file" ]; then
      shift
    fi
    set -- --protected-mode no "$@"
    if [ "$config_file" ]; then
      set -- "$config_file" "$@"
    fi
    set -- redis-server "$@"
  fi
fi

exec "$@"
