#!/bin/sh
# manage.py in the production environment the systemd units read (their EnvironmentFile), for
# operators' commands and cron, run as the user the CMS runs as:
#   sudo -u newsroom /srv/newsroom/ops/manage.sh createsuperuser
#   sudo -u newsroom /srv/newsroom/ops/manage.sh backup --output /srv/backups
# NEWSROOM_ENV_FILE names another file than /etc/newsroom/newsroom.env (ops/newsroom.env.example).
set -eu
env_file="${NEWSROOM_ENV_FILE:-/etc/newsroom/newsroom.env}"
case "$env_file" in /*) ;; *) env_file="$PWD/$env_file" ;; esac
if [ ! -r "$env_file" ]; then
    echo "$0: cannot read $env_file (run as the user the CMS runs as, or set NEWSROOM_ENV_FILE)" >&2
    exit 2
fi
set -a
. "$env_file"
set +a
cd "$(dirname "$0")/.."
exec .venv/bin/python manage.py "$@"
