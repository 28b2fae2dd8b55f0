<?php
declare(strict_types=1);

namespace Portal;

/**
 * The application's only configuration: /etc/portal/portal.json as the boot script writes it (path in PORTAL_CONFIG).
 * Nothing is read from the environment besides that path, so every server of a release behaves alike.
 */
final class Config
{
    public const DEFAULT_PATH = '/etc/portal/portal.json';

    /** @param array<string, mixed> $values */
    private function __construct(private readonly array $values)
    {
    }

    public static function load(): self
    {
        // httpd's SetEnv reaches PHP-FPM as a request variable, the CLI and the built-in server as environment.
        $path = $_SERVER['PORTAL_CONFIG'] ?? getenv('PORTAL_CONFIG') ?: self::DEFAULT_PATH;
        $text = @file_get_contents($path);
        if ($text === false) {
            throw new \RuntimeException("configuration {$path} cannot be read");
        }
        $values = json_decode($text, true);
        if (!is_array($values)) {
            throw new \RuntimeException("configuration {$path} is not a JSON object");
        }
        $config = new self($values);
        $missing = array_filter(
            ['release', 'database.host', 'database.port', 'database.name', 'database.user', 'database.passwordFile',
             'session.table', 'session.columns.id', 'session.columns.data', 'session.columns.lifetime',
             'session.columns.time', 'cache.configurationEndpoint', 'assets.staticBaseUrl', 'health.bootMarker'],
            static fn (string $key): bool => $config->get($key) === null
        );
        if ($missing) {
            throw new \RuntimeException("configuration {$path} lacks " . implode(', ', $missing));
        }
        return $config;
    }

    /** A value by dotted path ("database.host"), or $default when absent. */
    public function get(string $key, mixed $default = null): mixed
    {
        $value = $this->values;
        foreach (explode('.', $key) as $part) {
            if (!is_array($value) || !array_key_exists($part, $value)) {
                return $default;
            }
            $value = $value[$part];
        }
        return $value;
    }

    /** @return array<string, mixed> */
    public function section(string $key): array
    {
        $value = $this->get($key, []);
        return is_array($value) ? $value : [];
    }
}
