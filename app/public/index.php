<?php
declare(strict_types=1);
require __DIR__ . '/../src/bootstrap.php';

$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH) ?: '/';
header('X-Portal-Server: ' . (getenv('PORTAL_SERVER_NAME') ?: gethostname()));

if ($path === '/healthz') {
    $checks = [];
    $failed = [];
    try {
        portal_db()->query('SELECT 1');
        $checks['database'] = 'ok';
    } catch (Throwable $e) {
        $checks['database'] = 'failed';
        $failed[] = 'database';
    }
    $cache = portal_cache();
    $checks['cache'] = ($cache !== null && $cache->getVersion() !== false
                        && !in_array('255.255.255', (array)$cache->getVersion(), true)) ? 'ok' : 'degraded';
    $marker = portal_config()['bootMarker'] ?? '/var/lib/portal/boot-complete';
    if (is_file($marker)) {
        $checks['boot'] = 'ok';
    } else {
        $checks['boot'] = 'failed';
        $failed[] = 'boot';
    }
    http_response_code($failed ? 503 : 200);
    header('Content-Type: application/json');
    echo json_encode($failed ? ['status' => 'failed', 'failed' => $failed, 'checks' => $checks]
                             : ['status' => 'ok', 'checks' => $checks]), "\n";
    return;
}
http_response_code(404);
echo "not found\n";
