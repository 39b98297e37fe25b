#!/usr/bin/env bash
# Installs the Debian packages that `make run` or `make test` needs, and only those missing.
#
#   bash scripts/system-deps.sh run    # WeasyPrint's pango libraries and the Noto CJK fonts
#   bash scripts/system-deps.sh test   # the above plus Chromium, PostgreSQL, Redis, nginx and
#                                      # docker-compose (the production test)
#
# A machine that already has everything runs no apt at all. Without root (and without
# password-less sudo) the `run` mode only warns; the `test` mode stops with the command to run.
set -euo pipefail

mode=${1:-test}
case "$mode" in
run | test) ;;
*)
    echo "usage: $0 run|test" >&2
    exit 2
    ;;
esac

# Shared objects WeasyPrint loads for PDFs, and the fonts that draw Chinese in them.
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk)

missing=()
for pkg in "${packages[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done

fresh_postgresql=0
if [[ $mode == test ]]; then
    [[ -x /usr/bin/chromium ]] || command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null; then
        missing+=(postgresql)
        fresh_postgresql=1
    fi
    command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
    command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
    command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)  # checks the compiled locale
    # The production test runs nginx in front of gunicorn and checks docker-compose.yml.
    [[ -x /usr/sbin/nginx ]] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
    docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null 2>&1 ||
        missing+=(docker-compose)
fi

if ((${#missing[@]} == 0)); then
    echo "system-deps ($mode): all present"
    exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    echo "system-deps ($mode): missing Debian packages: ${missing[*]}" >&2
    echo "  install them as root: apt-get install ${missing[*]}" >&2
    if [[ $mode == run ]]; then
        echo "  (continuing: the portal runs, but PDFs need the pango libraries and CJK fonts)" >&2
        exit 0
    fi
    exit 1
fi

echo "system-deps ($mode): installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt_opts=(-q -y -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0)
if ! { "${sudo[@]}" apt-get "${apt_opts[@]}" update &&
    "${sudo[@]}" apt-get "${apt_opts[@]}" install --no-install-recommends "${missing[@]}"; }; then
    echo "system-deps ($mode): apt-get failed to install ${missing[*]}" >&2
    [[ $mode == run ]] && exit 0
    exit 1
fi

if ((fresh_postgresql)); then
    # A cluster this script just created serves the test suite only: let loopback connections
    # in without a password, as DATABASE_URL's default (postgres@127.0.0.1) expects.
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    hba=/etc/postgresql/$version/main/pg_hba.conf
    "${sudo[@]}" sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
    "${sudo[@]}" pg_ctlcluster --skip-systemctl-redirect "$version" main reload 2>/dev/null || true
fi
echo "system-deps ($mode): done"
