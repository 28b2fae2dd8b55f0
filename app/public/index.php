<?php
// Front controller: httpd sends every path that is not a file under public/ here (FallbackResource).
declare(strict_types=1);

require __DIR__ . '/../src/bootstrap.php';

use Portal\Config;
use Portal\Shop;

try {
    $path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH) ?: '/';
    $config = Config::load();
    // The boot script's log agent ships every *.log file in logDir.
    $logDir = (string) $config->get('logDir', '');
    if ($logDir !== '' && is_writable($logDir)) {
        ini_set('error_log', $logDir . '/application.log');
    }
    (new Shop($config))->handle($_SERVER['REQUEST_METHOD'] ?? 'GET', $path);
} catch (\Throwable $e) {
    // Logged with its cause; the visitor only learns to retry (another server, or this one a moment later).
    error_log('portal: ' . $e::class . ': ' . $e->getMessage() . ' at ' . $e->getFile() . ':' . $e->getLine());
    if (!headers_sent()) {
        http_response_code(503);
        header('Content-Type: text/html; charset=utf-8');
        header('Retry-After: 5');
    }
    echo "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Shop</title></head><body>"
        . "<p>The shop is briefly unavailable; please try again in a moment.</p></body></html>\n";
}
