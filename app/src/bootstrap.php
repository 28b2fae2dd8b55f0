<?php
// Everything the shop needs comes from the file the boot script writes; nothing is read from the server's disk
// besides it, so any server can answer any request.
declare(strict_types=1);

function portal_config(): array {
    static $config = null;
    if ($config === null) {
        $path = getenv('PORTAL_CONFIG') ?: '/etc/portal/portal.json';
        $raw = @file_get_contents($path);
        $config = $raw === false ? [] : (json_decode($raw, true) ?: []);
    }
    return $config;
}

function portal_db(): PDO {
    static $pdo = null;
    if ($pdo === null) {
        $db = portal_config()['database'] ?? [];
        $dsn = sprintf('mysql:host=%s;port=%d;dbname=%s;charset=utf8mb4', $db['host'] ?? '127.0.0.1',
                       (int)($db['port'] ?? 3306), $db['name'] ?? 'portal');
        $options = [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::ATTR_TIMEOUT => 2];
        // TLS only when asked for and the CA bundle is present: RDS enforces it, a local drill does not.
        if (!empty($db['tls']) && is_file($db['caBundle'] ?? '')) {
            $options[PDO::MYSQL_ATTR_SSL_CA] = $db['caBundle'];
            $options[PDO::MYSQL_ATTR_SSL_VERIFY_SERVER_CERT] = true;
        }
        $pdo = new PDO($dsn, $db['user'] ?? '', $db['password'] ?? '', $options);
    }
    return $pdo;
}

function portal_cache(): ?Memcached {
    static $cache = false;
    if ($cache === false) {
        $cache = null;
        $cfg = portal_config()['cache'] ?? [];
        if (class_exists('Memcached') && !empty($cfg['endpoint'])) {
            [$host, $port] = array_pad(explode(':', $cfg['endpoint'], 2), 2, '11211');
            $m = new Memcached();
            // Short timeouts: a vanished cache must cost milliseconds, never the request.
            $m->setOption(Memcached::OPT_CONNECT_TIMEOUT, 200);
            $m->setOption(Memcached::OPT_SEND_TIMEOUT, 200000);
            $m->setOption(Memcached::OPT_RECV_TIMEOUT, 200000);
            $m->setOption(Memcached::OPT_RETRY_TIMEOUT, 1);
            $m->addServer($host, (int)$port);
            $cache = $m;
        }
    }
    return $cache;
}
