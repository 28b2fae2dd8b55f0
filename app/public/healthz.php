<?php
// The load balancer's health check (the stack's portal:healthCheckPath is mapped here). 200 = keep sending traffic.
declare(strict_types=1);

require __DIR__ . '/../src/bootstrap.php';

use Portal\Config;
use Portal\Health;

$config = null;
$configError = null;
try {
    $config = Config::load();
    $release = (string) $config->get('release');
} catch (\Throwable $e) {
    $configError = $e->getMessage();
    $release = trim((string) @file_get_contents(__DIR__ . '/../RELEASE'));
}
[$status, $body] = Health::check($config, $release, $configError);
http_response_code($status);
header('Content-Type: application/json');
header('Cache-Control: no-store');
echo json_encode($body, JSON_UNESCAPED_SLASHES), "\n";
