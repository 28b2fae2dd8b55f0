<?php
declare(strict_types=1);

namespace Portal;

/**
 * What the load balancer's health check asks: has this server finished booting, and can it reach its database?
 * The cache is reported but never fails the check: taking every server out of rotation because memcached is down
 * would turn a slowdown into an outage.
 */
final class Health
{
    // Each connect and each read has its own limit. A healthy database and a dead cache answer in about 1.5 s; only
    // a database that accepts connections and then hangs can take longer (2 s connect, 2 s per read), and that
    // check fails anyway, whether it answers 503 or the load balancer gives up first.
    public const DATABASE_TIMEOUT_SECONDS = 2.0;
    public const CACHE_TIMEOUT_SECONDS = 0.5;

    /** @return array{int, array<string, mixed>} HTTP status and the JSON body */
    public static function check(?Config $config, string $release, ?string $configError): array
    {
        $checks = ['boot' => 'not checked', 'database' => 'not checked', 'cache' => 'not checked'];
        if ($config === null) {
            $checks['boot'] = 'configuration: ' . $configError;
            return [503, ['status' => 'failing', 'release' => $release, 'checks' => $checks]];
        }
        $marker = (string) $config->get('health.bootMarker');
        $checks['boot'] = is_file($marker) ? 'ok' : "boot marker {$marker} missing (boot has not finished)";
        $checks['database'] = self::probe(static function () use ($config): void {
            (new Database($config->section('database'), self::DATABASE_TIMEOUT_SECONDS))->pdo()->query('SELECT 1');
        });
        $checks['cache'] = self::probe(static function () use ($config): void {
            $cache = new MemcachedClient($config->section('cache'), self::CACHE_TIMEOUT_SECONDS);
            $key = 'portal:health:' . gethostname() . ':' . getmypid();
            $value = bin2hex(random_bytes(8));
            $cache->set($key, $value, 30);
            if ($cache->get($key) !== $value) {
                throw new CacheError('value read back differs from the value written');
            }
        });
        if ($checks['boot'] !== 'ok' || $checks['database'] !== 'ok') {
            return [503, ['status' => 'failing', 'release' => $release, 'checks' => $checks]];
        }
        return [200, ['status' => $checks['cache'] === 'ok' ? 'ok' : 'degraded', 'release' => $release,
            'checks' => $checks]];
    }

    private static function probe(callable $probe): string
    {
        try {
            $probe();
            return 'ok';
        } catch (\Throwable $e) {
            return $e->getMessage();
        }
    }
}
