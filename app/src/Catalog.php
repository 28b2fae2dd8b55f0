<?php
declare(strict_types=1);

namespace Portal;

/** The product list: read from MySQL, kept in memcached for a minute, served from MySQL when the cache is down. */
final class Catalog
{
    private const CACHE_KEY = 'portal:catalog:v1';
    private const CACHE_TTL_SECONDS = 60;

    /** How the last list was obtained: "hit", "miss" (read from MySQL, cached) or "unavailable" (cache down). */
    public string $cacheStatus = 'miss';

    public function __construct(
        private readonly Database $db,
        private readonly MemcachedClient $cache,
        private readonly string $imageBaseUrl,
    ) {
    }

    /** @return list<array{sku: string, name: string, price_cents: int, image_url: string}> */
    public function products(): array
    {
        try {
            $cached = $this->cache->get(self::CACHE_KEY);
            $products = $cached === null ? null : json_decode($cached, true, flags: JSON_THROW_ON_ERROR);
            if (is_array($products)) {
                $this->cacheStatus = 'hit';
                return $products;
            }
            $this->cacheStatus = 'miss';
        } catch (CacheError|\JsonException $e) {
            $this->cacheStatus = 'unavailable';
            error_log('portal: catalog cache unavailable, reading MySQL: ' . $e->getMessage());
        }
        $products = array_map(fn (array $row): array => [
            'sku' => $row['sku'],
            'name' => $row['name'],
            'price_cents' => (int) $row['price_cents'],
            // Images are files in the assets bucket, served by CloudFront on the static domain, never by this server.
            'image_url' => $this->imageBaseUrl . $row['image_key'],
        ], $this->db->pdo()->query('SELECT sku, name, price_cents, image_key FROM products ORDER BY name')->fetchAll());
        if ($this->cacheStatus === 'miss') {
            try {
                $this->cache->set(self::CACHE_KEY, json_encode($products, JSON_THROW_ON_ERROR), self::CACHE_TTL_SECONDS);
            } catch (CacheError $e) {
                $this->cacheStatus = 'unavailable';
                error_log('portal: catalog cache unavailable on write: ' . $e->getMessage());
            }
        }
        return $products;
    }

    /** @return array<string, array{sku: string, name: string, price_cents: int, image_url: string}> */
    public function bySku(): array
    {
        return array_column($this->products(), null, 'sku');
    }
}
