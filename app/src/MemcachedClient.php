<?php
declare(strict_types=1);

namespace Portal;

/**
 * A small memcached client on the text protocol over PHP streams: plain TCP, or TLS for ElastiCache with in-transit
 * encryption, which needs no PHP extension on the server. Every call has a short timeout and throws CacheError on
 * any failure, so callers can fall back to the database: the shop works without its cache.
 */
final class MemcachedClient
{
    /** How long a discovered node list is trusted; ElastiCache suggests polling about once a minute. */
    private const DISCOVERY_TTL_SECONDS = 60;

    /** @var array<string, resource> open connections by "host:port" */
    private array $connections = [];

    /** @param array<string, mixed> $settings the "cache" section of portal.json */
    public function __construct(private readonly array $settings, private readonly float $timeoutSeconds = 0.5)
    {
    }

    public function get(string $key): ?string
    {
        $reply = $this->command($this->node($key), 'get ' . self::checkedKey($key) . "\r\n");
        if ($reply === "END\r\n") {
            return null;
        }
        if (!preg_match('/^VALUE \S+ \d+ (\d+)\r\n/', $reply, $m)) {
            throw new CacheError('unexpected reply to get: ' . trim(strtok($reply, "\n")));
        }
        return substr($reply, strlen($m[0]), (int) $m[1]);
    }

    public function set(string $key, string $value, int $ttlSeconds): void
    {
        $reply = $this->command($this->node($key), sprintf("set %s 0 %d %d\r\n%s\r\n",
            self::checkedKey($key), $ttlSeconds, strlen($value), $value));
        if ($reply !== "STORED\r\n") {
            throw new CacheError('unexpected reply to set: ' . trim($reply));
        }
    }

    private static function checkedKey(string $key): string
    {
        if (!preg_match('/^[\x21-\x7e]{1,250}$/', $key)) {
            throw new CacheError('invalid cache key');
        }
        return $key;
    }

    /** The node that holds $key: one of the cluster's nodes, chosen by a hash of the key. */
    private function node(string $key): string
    {
        $nodes = $this->nodes();
        return $nodes[crc32($key) % count($nodes)];
    }

    /** @return list<string> "host:port" of every node, sorted so every server maps keys alike */
    private function nodes(): array
    {
        $endpoint = (string) $this->settings['configurationEndpoint'];
        if (empty($this->settings['autoDiscovery'])) {
            return [$endpoint];
        }
        // The node list is kept in a small file per server so discovery costs one round trip a minute, not one per
        // request; a stale list only costs cache misses.
        $file = sys_get_temp_dir() . '/portal-cache-nodes-' . md5($endpoint) . '.json';
        $cached = @json_decode((string) @file_get_contents($file), true);
        if (is_array($cached) && ($cached['until'] ?? 0) > time() && !empty($cached['nodes'])) {
            return $cached['nodes'];
        }
        $nodes = $this->discover($endpoint);
        $tmp = $file . '.' . getmypid();
        if (@file_put_contents($tmp, json_encode(['until' => time() + self::DISCOVERY_TTL_SECONDS, 'nodes' => $nodes]))) {
            @rename($tmp, $file);
        }
        return $nodes;
    }

    /** @return list<string> */
    private function discover(string $endpoint): array
    {
        // ElastiCache answers "CONFIG cluster 0 <n>\r\n<version>\n<host>|<ip>|<port> ...\n\r\nEND\r\n"; a plain
        // memcached answers ERROR, and then the endpoint is the only node.
        $reply = $this->command($endpoint, "config get cluster\r\n");
        if (!str_starts_with($reply, 'CONFIG ')) {
            return [$endpoint];
        }
        $lines = explode("\n", str_replace("\r", '', $reply));
        $nodes = [];
        foreach (preg_split('/\s+/', trim($lines[2] ?? ''), -1, PREG_SPLIT_NO_EMPTY) as $entry) {
            [$host, , $port] = array_pad(explode('|', $entry), 3, '');
            if ($host !== '' && ctype_digit($port)) {
                $nodes[] = "{$host}:{$port}";
            }
        }
        sort($nodes);
        return $nodes ?: [$endpoint];
    }

    /** Sends one command and returns its complete reply. */
    private function command(string $address, string $request): string
    {
        $stream = $this->connection($address);
        if (@fwrite($stream, $request) !== strlen($request)) {
            $this->drop($address);
            throw new CacheError("cannot write to {$address}");
        }
        $reply = '';
        while (true) {
            $line = fgets($stream);
            if ($line === false) {
                $timedOut = stream_get_meta_data($stream)['timed_out'];
                $this->drop($address);
                throw new CacheError(($timedOut ? 'timeout' : 'connection closed') . " reading from {$address}");
            }
            $reply .= $line;
            if (preg_match('/^VALUE \S+ \d+ (\d+)\r\n$/', $line, $m) || preg_match('/^CONFIG \S+ \d+ (\d+)\r\n$/', $line, $m)) {
                // A data block may contain anything, including lines that look like END: read it by length.
                $reply .= $this->readExactly($stream, (int) $m[1] + 2, $address);
                continue;
            }
            if (in_array($line, ["END\r\n", "STORED\r\n", "NOT_STORED\r\n", "ERROR\r\n"], true)
                || str_starts_with($line, 'CLIENT_ERROR') || str_starts_with($line, 'SERVER_ERROR')) {
                return $reply;
            }
        }
    }

    /** @param resource $stream */
    private function readExactly($stream, int $length, string $address): string
    {
        $data = '';
        while (strlen($data) < $length) {
            $chunk = fread($stream, $length - strlen($data));
            if ($chunk === false || $chunk === '') {
                $this->drop($address);
                throw new CacheError("short read from {$address}");
            }
            $data .= $chunk;
        }
        return $data;
    }

    /** @return resource */
    private function connection(string $address)
    {
        if (isset($this->connections[$address])) {
            return $this->connections[$address];
        }
        $tls = !empty($this->settings['tls']);
        [$host] = explode(':', $address);
        $context = stream_context_create(['ssl' => ['verify_peer' => true, 'verify_peer_name' => true,
            'peer_name' => $host]]);
        $stream = @stream_socket_client(($tls ? 'tls://' : 'tcp://') . $address, $errno, $error,
            $this->timeoutSeconds, STREAM_CLIENT_CONNECT, $context);
        if ($stream === false) {
            throw new CacheError("cannot connect to {$address}: " . ($error ?: "error {$errno}"));
        }
        $seconds = (int) $this->timeoutSeconds;
        stream_set_timeout($stream, $seconds, (int) (($this->timeoutSeconds - $seconds) * 1_000_000));
        return $this->connections[$address] = $stream;
    }

    private function drop(string $address): void
    {
        if (isset($this->connections[$address])) {
            @fclose($this->connections[$address]);
            unset($this->connections[$address]);
        }
    }
}
