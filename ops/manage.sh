#!/bin/sh
# manage.py in the production environment the systemd units read (their EnvironmentFile), for
# operators' commands and cron, run as the user the CMS runs as:
#   sudo -u newsroom /srv/newsroom/ops/manage.sh createsuperuser
#   sudo -u newsroom /srv/newsroom/ops/manage.sh backup --output /srv/backups
# The file is read as systemd reads it (KEY=value lines, "#" comments, values taken as they are,
# one pair of surrounding quotes removed), never run as shell code. A variable already set wins,
# for one command: sudo -u newsroom env BACKUP_SIGNING_KEY=<old key> .../ops/manage.sh restore ...
# NEWSROOM_ENV_FILE names another file than /etc/newsroom/newsroom.env (ops/newsroom.env.example).
set -eu
env_file="${NEWSROOM_ENV_FILE:-/etc/newsroom/newsroom.env}"
if [ ! -r "$env_file" ]; then
    echo "$0: cannot read $env_file (run as the user the CMS runs as, or set NEWSROOM_ENV_FILE)" >&2
    exit 2
fi
while IFS= read -r line || [ -n "$line" ]; do
    line="${line#"${line%%[![:space:]]*}"}"
    case "$line" in '' | '#'* | ';'*) continue ;; esac
    key="${line%%=*}"
    value="${line#*=}"
    case "$key" in
        '' | [0-9]* | *[!A-Za-z0-9_]*)
            echo "$0: $env_file: not a KEY=value line: $line" >&2
            exit 2
            ;;
    esac
    case "$value" in
        \"*\" | \'*\') [ "${#value}" -ge 2 ] && value="${value#?}" && value="${value%?}" ;;
    esac
    eval "already=\${$key+set}"
    if [ -z "$already" ]; then
        export "$key=$value"
    fi
done <"$env_file"
cd "$(dirname "$0")/.."
exec .venv/bin/python manage.py "$@"
