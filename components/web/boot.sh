#!/bin/bash
# Boot script of a portal web server (Amazon Linux 2023), rendered into the launch template's user data by
# components/web/boot.py. Placeholders (a name between double at-signs) become shell-quoted values at render time;
# everything else the server needs is read from Parameter Store, so only the release (and the paths below)
# make a new launch template version.
#
# Order matters: the load balancer's health check only passes once the web server answers it, and the web
# server is started last, after the release is verified and configured. A server that fails any step never
# takes traffic; the Auto Scaling group replaces it after the grace period.
set -euo pipefail

PARAMETER_PREFIX=@@PARAMETER_PREFIX@@
RELEASE=@@RELEASE@@
APP_PORT=@@APP_PORT@@
HEALTH_CHECK_PATH=@@HEALTH_CHECK_PATH@@

PORTAL_ROOT=/opt/portal
RELEASE_DIR="${PORTAL_ROOT}/releases/${RELEASE}"
CONFIG_DIR=/etc/portal
LOG_DIR=/var/log/portal
HEALTH_DIR=/var/lib/portal/health

log() { echo "portal-boot: $*" | systemd-cat -t portal-boot -p info; echo "portal-boot: $*"; }
fail() { echo "portal-boot: FAILED: $*" | systemd-cat -t portal-boot -p err; echo "portal-boot: FAILED: $*" >&2; exit 1; }
trap 'fail "line ${LINENO}: ${BASH_COMMAND}"' ERR

# IMDSv2 only (the launch template requires tokens, hop limit 1).
imds() {
  local token
  token=$(curl -fsS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')
  curl -fsS -H "X-aws-ec2-metadata-token: ${token}" "http://169.254.169.254/latest/meta-data/$1"
}
AWS_REGION=$(imds placement/region)
export AWS_REGION AWS_DEFAULT_REGION="${AWS_REGION}"

param() {
  aws ssm get-parameter --name "${PARAMETER_PREFIX}$1" --query Parameter.Value --output text
}

log "installing packages"
dnf install -y --setopt=install_weak_deps=False httpd php php-fpm php-mysqlnd amazon-cloudwatch-agent rsyslog jq
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
RELEASES_BUCKET=$(param buckets/releases)
ASSETS_BUCKET=$(param buckets/assets)
DB_ENDPOINT=$(param database/endpoint)
DB_SECRET_ARN=$(param database/secret-arn)
SESSION_STORE=$(param session-store)
CACHE_ENDPOINT=$(param cache/endpoint)
CACHE_TLS=$(param cache/tls)
PUBLISHED_RELEASE=$(param release)
LOG_GROUP_APPLICATION=$(param logs/application)
LOG_GROUP_SYSTEM=$(param logs/system)
LOG_GROUP_AUTH=$(param logs/auth)
if [[ "${PUBLISHED_RELEASE}" != "${RELEASE}" ]]; then
  # The launch template version pins the release; the parameter only says what the stack last deployed.
  log "note: this launch template runs ${RELEASE}, Parameter Store names ${PUBLISHED_RELEASE}"
fi

log "downloading release ${RELEASE}"
WORK=$(mktemp -d)
aws s3 cp "s3://${RELEASES_BUCKET}/releases/${RELEASE}/portal.tar.gz" "${WORK}/portal.tar.gz" --only-show-errors
aws s3 cp "s3://${RELEASES_BUCKET}/releases/${RELEASE}/portal.tar.gz.sha256" "${WORK}/portal.tar.gz.sha256" \
  --only-show-errors
EXPECTED=$(awk '{print $1; exit}' "${WORK}/portal.tar.gz.sha256")
[[ "${EXPECTED}" =~ ^[0-9a-f]{64}$ ]] || fail "release ${RELEASE}: checksum file holds no SHA-256"
echo "${EXPECTED}  ${WORK}/portal.tar.gz" | sha256sum --check --strict --quiet \
  || fail "release ${RELEASE}: checksum mismatch"

log "unpacking release ${RELEASE} to ${RELEASE_DIR}"
rm -rf "${RELEASE_DIR}"
mkdir -p "${RELEASE_DIR}"
tar -xzf "${WORK}/portal.tar.gz" -C "${RELEASE_DIR}" --no-same-owner
ln -sfn "${RELEASE_DIR}" "${PORTAL_ROOT}/current"
rm -rf "${WORK}"

log "configuring the application"
install -d -m 0750 -o root -g apache "${CONFIG_DIR}"
install -d -m 0750 -o apache -g apache "${LOG_DIR}"
# Sessions go to the database (shared by every server in every AZ, so losing a server logs nobody out); the
# cache is memcached, for data that can be rebuilt. The database password is not written to disk: the
# application reads the secret at run time, so a rotation never leaves a server with a stale copy.
jq -n \
  --arg release "${RELEASE}" \
  --arg db_endpoint "${DB_ENDPOINT}" \
  --arg db_secret_arn "${DB_SECRET_ARN}" \
  --argjson session_store "${SESSION_STORE}" \
  --arg cache_endpoint "${CACHE_ENDPOINT}" \
  --arg cache_tls "${CACHE_TLS}" \
  --arg assets_bucket "${ASSETS_BUCKET}" \
  --arg region "${AWS_REGION}" \
  --arg log_dir "${LOG_DIR}" \
  '{release: $release, region: $region, logDir: $log_dir,
    database: {endpoint: $db_endpoint, secretArn: $db_secret_arn},
    session: ({handler: "database"} + $session_store),
    cache: {backend: "memcached", configurationEndpoint: $cache_endpoint, autoDiscovery: true,
            tls: ($cache_tls == "true")},
    assets: {bucket: $assets_bucket}}' > "${CONFIG_DIR}/portal.json"
chown root:apache "${CONFIG_DIR}/portal.json"
chmod 0640 "${CONFIG_DIR}/portal.json"

cat > /etc/php.d/90-portal.ini <<'INI'
; Sessions are stored in the database by the application's own handler (session_set_save_handler, configured
; from /etc/portal/portal.json): nothing session-related is kept on this server.
session.use_strict_mode = 1
session.cookie_secure = 1
session.cookie_httponly = 1
expose_php = Off
INI

cat > /etc/httpd/conf.d/portal.conf <<CONF
Listen ${APP_PORT}
<VirtualHost *:${APP_PORT}>
    DocumentRoot ${PORTAL_ROOT}/current/public
    SetEnv PORTAL_CONFIG ${CONFIG_DIR}/portal.json
    <Directory ${PORTAL_ROOT}/current/public>
        AllowOverride None
        Require all granted
        FallbackResource /index.php
    </Directory>
    # Answered only once this script has finished; the application's own checks sit behind the same path.
    Alias ${HEALTH_CHECK_PATH} ${HEALTH_DIR}/ok
    <Directory ${HEALTH_DIR}>
        Require all granted
    </Directory>
    ErrorLog ${LOG_DIR}/error.log
    CustomLog ${LOG_DIR}/access.log combined
</VirtualHost>
CONF
# Only the application port is served; the stock port 80 listener is not needed behind the load balancer.
sed -i 's/^Listen 80$/# Listen 80 (the portal listens on its own port)/' /etc/httpd/conf/httpd.conf

log "starting the CloudWatch agent"
cat > /opt/aws/amazon-cloudwatch-agent/etc/portal.json <<JSON
{
  "agent": {"run_as_user": "root"},
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
/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s \
  -c file:/opt/aws/amazon-cloudwatch-agent/etc/portal.json

log "starting the web server"
systemctl enable --now php-fpm
systemctl enable httpd
apachectl configtest
systemctl start httpd

# Last step: from here on the health check passes and the load balancer sends traffic.
install -d -m 0755 "${HEALTH_DIR}"
echo "ok ${RELEASE}" > "${HEALTH_DIR}/ok"
log "release ${RELEASE} is serving on port ${APP_PORT}"
