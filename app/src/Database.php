<?php
declare(strict_types=1);

namespace Portal;

use PDO;

/** One lazily opened MySQL connection per request, shared by the session handler and the pages. */
final class Database
{
    private ?PDO $pdo = null;

    /** @param array<string, mixed> $settings the "database" section of portal.json */
    public function __construct(private readonly array $settings, private readonly float $timeoutSeconds = 2.0)
    {
        if (!empty($settings['iamAuth']) && empty($settings['tls'])) {
            // An IAM token is sent in clear text; only TLS makes that acceptable.
            throw new \RuntimeException('configuration database.iamAuth needs database.tls');
        }
    }

    public function pdo(): PDO
    {
        return $this->pdo ??= $this->connect();
    }

    private function connect(): PDO
    {
        // Read on every new connection: with IAM authentication the file holds a token replaced every few minutes.
        $password = @file_get_contents((string) $this->settings['passwordFile']);
        if ($password === false) {
            throw new \RuntimeException("database password file {$this->settings['passwordFile']} cannot be read");
        }
        $timeout = max(1, (int) ceil($this->timeoutSeconds));
        // mysqlnd reads this when it connects: without it a hung server holds the request for a day.
        ini_set('mysqlnd.net_read_timeout', (string) $timeout);
        $options = [
            PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
            PDO::ATTR_TIMEOUT => $timeout,
            PDO::ATTR_EMULATE_PREPARES => false,
            PDO::ATTR_DEFAULT_FETCH_MODE => PDO::FETCH_ASSOC,
        ];
        if (!empty($this->settings['tls'])) {
            $options[PDO::MYSQL_ATTR_SSL_CA] = (string) $this->settings['caFile'];
            $options[PDO::MYSQL_ATTR_SSL_VERIFY_SERVER_CERT] = true;
        }
        $dsn = sprintf('mysql:host=%s;port=%d;dbname=%s;charset=utf8mb4',
            $this->settings['host'], (int) $this->settings['port'], $this->settings['name']);
        return new PDO($dsn, (string) $this->settings['user'], rtrim($password, "\r\n"), $options);
    }

    /** Backquotes a table or column name from configuration after checking it is a plain identifier. */
    public static function identifier(string $name): string
    {
        if (!preg_match('/^[A-Za-z_][A-Za-z0-9_]{0,63}$/', $name)) {
            throw new \RuntimeException("configuration names an invalid SQL identifier: {$name}");
        }
        return "`{$name}`";
    }
}
