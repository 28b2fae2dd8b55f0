#!/bin/bash
# Boot script of a portal web server (Amazon Linux 2023), rendered into the launch template's user data by
# components/web/boot.py. Placeholders (a name between double at-signs) become shell-quoted values at render time;
# everything else comes from Parameter Store, so only the release (and the values below) make a new template version.
#
# Order matters: the load balancer's health check (the application's healthz.php) answers 200 only once the boot
# marker exists, and this script writes it last, after the release is verified, configured, migrated and served.
# A server that fails any step never takes traffic; the Auto Scaling group replaces it after the grace period.
set -euo pipefail

PARAMETER_PREFIX=@@PARAMETER_PREFIX@@
RELEASE=@@RELEASE@@
APP_PORT=@@APP_PORT@@
HEALTH_CHECK_PATH=@@HEALTH_CHECK_PATH@@

# -- overrides: a real instance sets none of these; a test runs the script against local stand-ins.
ROOT="${PORTAL_ROOT_DIR:-/}"
ROOT="${ROOT%/}"
IMDS="${PORTAL_IMDS_ENDPOINT:-http://169.254.169.254}"
RDS_CA_URL="${PORTAL_RDS_CA_URL:-https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem}"
SKIP_PACKAGES="${PORTAL_SKIP_PACKAGES:-0}"
# -- end of overrides

PORTAL_ROOT="${ROOT}/opt/portal"
RELEASE_DIR="${PORTAL_ROOT}/releases/${RELEASE}"
CONFIG_DIR="${ROOT}/etc/portal"
CONFIG_FILE="${CONFIG_DIR}/portal.json"
LOG_DIR="${ROOT}/var/log/portal"
HEALTH_DIR="${ROOT}/var/lib/portal/health"
RUN_DIR="${ROOT}/run/portal"
CA_FILE="${ROOT}/etc/pki/rds/global-bundle.pem"
TOKEN_SCRIPT="${ROOT}/usr/local/sbin/portal-db-token"
UNIT_DIR="${ROOT}/etc/systemd/system"
AGENT_DIR="${ROOT}/opt/aws/amazon-cloudwatch-agent"

log() { echo "portal-boot: $*"; echo "portal-boot: $*" | systemd-cat -t portal-boot -p info 2>/dev/null || true; }
fail() {
  echo "portal-boot: FAILED: $*" >&2
  echo "portal-boot: FAILED: $*" | systemd-cat -t portal-boot -p err 2>/dev/null || true
  exit 1
}
trap 'fail "line ${LINENO}: ${BASH_COMMAND}"' ERR
WORK=$(mktemp -d)
trap 'rm -rf "${WORK}"' EXIT

# IMDSv2 only (the launch template requires tokens, hop limit 1).
imds() {
  local token
  token=$(curl -fsS -X PUT "${IMDS}/latest/api/token" -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')
  curl -fsS -H "X-aws-ec2-metadata-token: ${token}" "${IMDS}/latest/meta-data/$1"
}
AWS_REGION=$(imds placement/region)
export AWS_REGION AWS_DEFAULT_REGION="${AWS_REGION}"

if [[ "${SKIP_PACKAGES}" != 1 ]]; then
  log "installing packages"
  dnf install -y --setopt=install_weak_deps=False httpd php php-fpm php-mysqlnd amazon-cloudwatch-agent rsyslog \
    logrotate jq
fi
# Amazon Linux 2023 keeps logs in the journal only; rsyslog writes the files the agent ships (messages, secure).
systemctl enable --now rsyslog

# Instance storage: an NVMe instance-store volume, when the type has one, holds the release (fast, local, and
# disposable like the server itself); otherwise the encrypted root volume does. Nothing is shared between servers.
mkdir -p "${PORTAL_ROOT}"
for disk in /dev/disk/by-id/nvme-Amazon_EC2_NVMe_Instance_Storage_*; do
  [[ -e "${disk}" ]] || break
  case "${disk}" in *-part*) continue ;; *) ;; esac
  log "using instance store ${disk}"
  mkfs.xfs -f "${disk}"
  mount -o noatime "${disk}" "${PORTAL_ROOT}"
  break
done

log "reading configuration under ${PARAMETER_PREFIX}"
aws ssm get-parameters-by-path --path "${PARAMETER_PREFIX%/}" --recursive --output json \
  | jq '.Parameters | map({(.Name): .Value}) | add // {}' > "${WORK}/parameters.json"
# Read by one jq, not one per key: a jq start costs more than all the lookups.
declare -A PARAMS=()
while IFS= read -r -d '' name && IFS= read -r -d '' value; do PARAMS["${name}"]=${value}; done < <(jq -j \
  'to_entries[] | select(.value | . != null and . != false) | .key, "\u0000", .value, "\u0000"' "${WORK}/parameters.json")
param() { [[ -v PARAMS["${PARAMETER_PREFIX}$1"] ]] && printf '%s\n' "${PARAMS["${PARAMETER_PREFIX}$1"]}"; }
missing=()
for key in database/endpoint database/port database/name database/user session-store cache/endpoint cache/tls \
  buckets/releases buckets/assets assets/media-prefix cdn/static-base-url release logs/application logs/system \
  logs/auth; do
  param "${key}" > /dev/null || missing+=("${PARAMETER_PREFIX}${key}")
done
[[ ${#missing[@]} -eq 0 ]] || fail "missing parameters (the stack publishes them): ${missing[*]}"
DB_HOST=$(param database/endpoint)
DB_PORT=$(param database/port)
DB_NAME=$(param database/name)
DB_USER=$(param database/user)
SESSION_STORE=$(param session-store)
CACHE_ENDPOINT=$(param cache/endpoint)
CACHE_TLS=$(param cache/tls)
RELEASES_BUCKET=$(param buckets/releases)
ASSETS_BUCKET=$(param buckets/assets)
MEDIA_PREFIX=$(param assets/media-prefix)
STATIC_BASE_URL=$(param cdn/static-base-url)
PUBLISHED_RELEASE=$(param release)
LOG_GROUP_APPLICATION=$(param logs/application)
LOG_GROUP_SYSTEM=$(param logs/system)
LOG_GROUP_AUTH=$(param logs/auth)
[[ "${DB_HOST}" =~ ^[A-Za-z0-9.-]+$ ]] || fail "${PARAMETER_PREFIX}database/endpoint = ${DB_HOST}: not a host name"
[[ "${DB_PORT}" =~ ^[0-9]{1,5}$ ]] || fail "${PARAMETER_PREFIX}database/port = ${DB_PORT}: not a port number"
[[ "${CACHE_TLS}" =~ ^(true|false)$ ]] || fail "${PARAMETER_PREFIX}cache/tls = ${CACHE_TLS}: not true or false"
jq -e 'has("table") and has("columns")' <<< "${SESSION_STORE}" > /dev/null \
  || fail "${PARAMETER_PREFIX}session-store: not a JSON object with table and columns"
if [[ "${PUBLISHED_RELEASE}" != "${RELEASE}" ]]; then
  # The launch template version pins the release; the parameter only says what the stack last deployed.
  log "note: this launch template runs ${RELEASE}, Parameter Store names ${PUBLISHED_RELEASE}"
fi

log "downloading release ${RELEASE}"
for object in portal.tar.gz portal.tar.gz.sha256; do
  aws s3 cp "s3://${RELEASES_BUCKET}/releases/${RELEASE}/${object}" "${WORK}/${object}" --only-show-errors \
    || fail "release ${RELEASE}: cannot download s3://${RELEASES_BUCKET}/releases/${RELEASE}/${object}"
done
EXPECTED=$(awk '{print $1; exit}' "${WORK}/portal.tar.gz.sha256")
[[ "${EXPECTED}" =~ ^[0-9a-f]{64}$ ]] || fail "release ${RELEASE}: checksum file holds no SHA-256"
echo "${EXPECTED}  ${WORK}/portal.tar.gz" | sha256sum --check --strict --quiet \
  || fail "release ${RELEASE}: checksum mismatch"

log "unpacking release ${RELEASE} to ${RELEASE_DIR}"
rm -rf "${RELEASE_DIR}"
mkdir -p "${RELEASE_DIR}"
tar -xzf "${WORK}/portal.tar.gz" -C "${RELEASE_DIR}" --no-same-owner
if [[ -f "${RELEASE_DIR}/RELEASE" && "$(tr -d '[:space:]' < "${RELEASE_DIR}/RELEASE")" != "${RELEASE}" ]]; then
  fail "release ${RELEASE}: the archive's RELEASE file names another release"
fi
ln -sfn "${RELEASE_DIR}" "${PORTAL_ROOT}/current"

# Verified TLS to the database: the application checks the server's certificate against Amazon RDS's CAs.
log "installing the RDS certificate bundle"
curl -fsS --retry 3 -o "${WORK}/rds-ca.pem" "${RDS_CA_URL}" || fail "cannot download ${RDS_CA_URL}"
ca_found=$(openssl storeutl -noout -certs "${WORK}/rds-ca.pem" 2>/dev/null | sed -n 's/^Total found: //p') \
  || ca_found=0
ca_marked=$(grep -c -- '-----BEGIN CERTIFICATE-----' "${WORK}/rds-ca.pem") || ca_marked=0
[[ "${ca_found:-0}" -gt 0 && "${ca_found}" -eq "${ca_marked}" ]] \
  || fail "${RDS_CA_URL} is not a PEM certificate bundle"
install -D -m 0644 "${WORK}/rds-ca.pem" "${CA_FILE}"

log "configuring the application"
install -d -m 0750 -o root -g apache "${CONFIG_DIR}" "${RUN_DIR}"
install -d -m 0750 -o apache -g apache "${LOG_DIR}"
# Sessions go to the database (shared by every server in every AZ, so losing a server logs nobody out); the
# cache is memcached, for data that can be rebuilt. No database password: the application user signs in with
# IAM database authentication, and a timer keeps a fresh token in passwordFile.
jq -n --arg release "${RELEASE}" --arg region "${AWS_REGION}" --arg log_dir "${LOG_DIR}" \
  --arg db_host "${DB_HOST}" --argjson db_port "${DB_PORT}" --arg db_name "${DB_NAME}" --arg db_user "${DB_USER}" \
  --arg password_file "${RUN_DIR}/db-password" --arg ca_file "${CA_FILE}" --argjson store "${SESSION_STORE}" \
  --arg cache_endpoint "${CACHE_ENDPOINT}" --argjson cache_tls "${CACHE_TLS}" \
  --arg assets_bucket "${ASSETS_BUCKET}" --arg media_prefix "${MEDIA_PREFIX}" \
  --arg static_base_url "${STATIC_BASE_URL}" --arg boot_marker "${HEALTH_DIR}/booted" \
  '{release: $release, region: $region, logDir: $log_dir,
    database: {host: $db_host, port: $db_port, name: $db_name, user: $db_user, passwordFile: $password_file,
               iamAuth: true, tls: true, caFile: $ca_file},
    session: {handler: "database", table: $store.table, columns: $store.columns},
    cache: {backend: "memcached", configurationEndpoint: $cache_endpoint, autoDiscovery: true, tls: $cache_tls},
    assets: {bucket: $assets_bucket, mediaPrefix: $media_prefix, staticBaseUrl: $static_base_url},
    health: {bootMarker: $boot_marker}}' > "${WORK}/portal.json"
install -m 0640 -o root -g apache "${WORK}/portal.json" "${CONFIG_FILE}"

# IAM database authentication tokens live 15 minutes: renewed every 5, and once at every start before httpd.
install -D -m 0755 /dev/stdin "${TOKEN_SCRIPT}" <<SCRIPT
#!/bin/bash
set -euo pipefail
umask 027
install -d -m 0750 -o root -g apache ${RUN_DIR@Q}
tmp=\$(mktemp ${RUN_DIR@Q}/.db-password.XXXXXX)
trap 'rm -f "\${tmp}"' EXIT
aws rds generate-db-auth-token --hostname ${DB_HOST@Q} --port ${DB_PORT@Q} --username ${DB_USER@Q} \\
  --region ${AWS_REGION@Q} > "\${tmp}"
[[ -s "\${tmp}" ]]
chgrp apache "\${tmp}"
chmod 0640 "\${tmp}"
mv -f "\${tmp}" ${RUN_DIR@Q}/db-password
SCRIPT
install -d "${UNIT_DIR}"
cat > "${UNIT_DIR}/portal-db-token.service" <<UNIT
[Unit]
Description=Portal database authentication token
Wants=network-online.target
After=network-online.target
Before=php-fpm.service httpd.service
[Service]
Type=oneshot
ExecStart=${TOKEN_SCRIPT}
[Install]
WantedBy=multi-user.target
UNIT
cat > "${UNIT_DIR}/portal-db-token.timer" <<UNIT
[Unit]
Description=Renew the portal database authentication token
[Timer]
OnActiveSec=5min
OnUnitActiveSec=5min
AccuracySec=10s
[Install]
WantedBy=timers.target
UNIT
log "writing the first database token"
"${TOKEN_SCRIPT}" || fail "cannot create a database authentication token for ${DB_USER}@${DB_HOST}"
systemctl daemon-reload
systemctl enable portal-db-token.service
systemctl enable --now portal-db-token.timer

install -D -m 0644 /dev/stdin "${ROOT}/etc/php.d/90-portal.ini" <<INI
; Sessions are stored in the database by the application's own handler, configured from ${CONFIG_FILE}.
session.use_strict_mode = 1
session.cookie_secure = 1
session.cookie_httponly = 1
expose_php = Off
INI

# The health path runs the application's own check (PHP-FPM serves every .php file), never a static file.
install -D -m 0644 /dev/stdin "${ROOT}/etc/httpd/conf.d/portal.conf" <<CONF
Listen ${APP_PORT}
<VirtualHost *:${APP_PORT}>
    DocumentRoot ${PORTAL_ROOT}/current/public
    SetEnv PORTAL_CONFIG ${CONFIG_FILE}
    <Directory ${PORTAL_ROOT}/current/public>
        AllowOverride None
        Require all granted
        FallbackResource /index.php
    </Directory>
    Alias ${HEALTH_CHECK_PATH} ${PORTAL_ROOT}/current/public/healthz.php
    ErrorLog ${LOG_DIR}/error.log
    CustomLog ${LOG_DIR}/access.log combined
</VirtualHost>
CONF
# Only the application port is served; the stock port 80 listener is not needed behind the load balancer.
if [[ -f "${ROOT}/etc/httpd/conf/httpd.conf" ]]; then
  sed -i 's/^Listen 80$/# Listen 80 (the portal listens on its own port)/' "${ROOT}/etc/httpd/conf/httpd.conf"
fi

# copytruncate keeps each file where httpd, PHP and the CloudWatch agent have it open.
install -D -m 0644 /dev/stdin "${ROOT}/etc/logrotate.d/portal" <<ROTATE
${LOG_DIR}/*.log {
    daily
    maxsize 100M
    rotate 7
    compress
    delaycompress
    missingok
    notifempty
    copytruncate
}
ROTATE

log "starting the CloudWatch agent"
install -D -m 0644 /dev/stdin "${AGENT_DIR}/etc/portal.json" <<JSON
{
  "agent": {"run_as_user": "root"},
  "metrics": {
    "namespace": "CWAgent",
    "append_dimensions": {"AutoScalingGroupName": "\${aws:AutoScalingGroupName}", "InstanceId": "\${aws:InstanceId}"},
    "aggregation_dimensions": [["AutoScalingGroupName", "path"], ["AutoScalingGroupName"]],
    "metrics_collected": {
      "disk": {"measurement": ["used_percent"], "resources": ["/", "/opt/portal"], "drop_device": true},
      "mem": {"measurement": ["mem_used_percent"]}
    }
  },
  "logs": {
    "logs_collected": {
      "files": {
        "collect_list": [
          {"file_path": "${LOG_DIR}/*.log", "log_group_name": "${LOG_GROUP_APPLICATION}",
           "log_stream_name": "{instance_id}/application"},
          {"file_path": "/var/log/php-fpm/*.log", "log_group_name": "${LOG_GROUP_APPLICATION}",
           "log_stream_name": "{instance_id}/php-fpm"},
          {"file_path": "/var/log/messages", "log_group_name": "${LOG_GROUP_SYSTEM}",
           "log_stream_name": "{instance_id}/messages"},
          {"file_path": "/var/log/cloud-init-output.log", "log_group_name": "${LOG_GROUP_SYSTEM}",
           "log_stream_name": "{instance_id}/boot"},
          {"file_path": "/var/log/secure", "log_group_name": "${LOG_GROUP_AUTH}",
           "log_stream_name": "{instance_id}/secure"}
        ]
      }
    }
  }
}
JSON
"${AGENT_DIR}/bin/amazon-cloudwatch-agent-ctl" -a fetch-config -m ec2 -s -c "file:${AGENT_DIR}/etc/portal.json"

if [[ -f "${RELEASE_DIR}/bin/migrate.php" ]]; then
  log "migrating the database schema for ${RELEASE}"
  (cd "${RELEASE_DIR}" && runuser -u apache -- env "PORTAL_CONFIG=${CONFIG_FILE}" php bin/migrate.php) \
    || fail "release ${RELEASE}: bin/migrate.php failed"
fi

log "starting the web server"
systemctl enable --now php-fpm
systemctl enable httpd
apachectl configtest
systemctl start httpd

# Last step: from here on healthz.php answers 200 (while the database answers) and the load balancer sends traffic.
install -d -m 0755 "${HEALTH_DIR}"
echo "${RELEASE}" > "${WORK}/booted"
install -m 0644 "${WORK}/booted" "${HEALTH_DIR}/booted"
log "release ${RELEASE} is serving on port ${APP_PORT}"
