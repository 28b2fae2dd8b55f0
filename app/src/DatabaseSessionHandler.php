<?php
declare(strict_types=1);

namespace Portal;

/**
 * PHP sessions in the portal's `sessions` table (components/database/sessions.sql), shared by every server, so a
 * server that dies logs nobody out and the load balancer's stickiness is never needed for correctness.
 *
 * A named lock per session (GET_LOCK) serialises concurrent requests of one visitor, as PHP's file handler does:
 * without it two parallel requests would each write back their own copy and one cart change would be lost.
 */
final class DatabaseSessionHandler implements \SessionHandlerInterface, \SessionUpdateTimestampHandlerInterface
{
    private const LOCK_WAIT_SECONDS = 10;

    private readonly string $table;
    /** @var array{id: string, data: string, lifetime: string, time: string} */
    private readonly array $col;
    /** @var array<string, true> locks held by this request */
    private array $locks = [];

    /** @param array<string, mixed> $settings the "session" section of portal.json */
    public function __construct(private readonly Database $db, array $settings, private readonly int $lifetime)
    {
        $this->table = Database::identifier((string) $settings['table']);
        $columns = $settings['columns'];
        $this->col = [
            'id' => Database::identifier((string) $columns['id']),
            'data' => Database::identifier((string) $columns['data']),
            'lifetime' => Database::identifier((string) $columns['lifetime']),
            'time' => Database::identifier((string) $columns['time']),
        ];
    }

    public function open(string $path, string $name): bool
    {
        return true;
    }

    public function close(): bool
    {
        foreach (array_keys($this->locks) as $lock) {
            $this->db->pdo()->prepare('SELECT RELEASE_LOCK(?)')->execute([$lock]);
        }
        $this->locks = [];
        return true;
    }

    public function read(string $id): string|false
    {
        $lock = 'portal_session_' . sha1($id);
        $got = $this->db->pdo()->prepare('SELECT GET_LOCK(?, ?)');
        $got->execute([$lock, self::LOCK_WAIT_SECONDS]);
        if ((int) $got->fetchColumn() !== 1) {
            return false;
        }
        $this->locks[$lock] = true;
        $row = $this->query("SELECT {$this->col['data']} FROM {$this->table} WHERE {$this->col['id']} = ? AND "
            . "{$this->col['time']} + {$this->col['lifetime']} >= ?", [$id, time()])->fetchColumn();
        return $row === false ? '' : (string) $row;
    }

    public function write(string $id, string $data): bool
    {
        $now = time();
        $this->query("INSERT INTO {$this->table} ({$this->col['id']}, {$this->col['data']}, {$this->col['lifetime']}, "
            . "{$this->col['time']}) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE {$this->col['data']} = ?, "
            . "{$this->col['lifetime']} = ?, {$this->col['time']} = ?",
            [$id, $data, $this->lifetime, $now, $data, $this->lifetime, $now]);
        return true;
    }

    public function destroy(string $id): bool
    {
        $this->query("DELETE FROM {$this->table} WHERE {$this->col['id']} = ?", [$id]);
        return true;
    }

    public function gc(int $max_lifetime): int|false
    {
        // Each row carries its own lifetime; the index on the time column keeps this off a full scan.
        return $this->query("DELETE FROM {$this->table} WHERE {$this->col['time']} < ? - {$this->col['lifetime']}",
            [time()])->rowCount();
    }

    /** With session.use_strict_mode, only ids this table knows are accepted (no session fixation). */
    public function validateId(string $id): bool
    {
        return $this->query("SELECT 1 FROM {$this->table} WHERE {$this->col['id']} = ? AND "
            . "{$this->col['time']} + {$this->col['lifetime']} >= ?", [$id, time()])->fetchColumn() !== false;
    }

    /** Unchanged sessions only have their expiry pushed forward (session.lazy_write). */
    public function updateTimestamp(string $id, string $data): bool
    {
        $this->query("UPDATE {$this->table} SET {$this->col['time']} = ? WHERE {$this->col['id']} = ?", [time(), $id]);
        return true;
    }

    /** @param list<mixed> $params */
    private function query(string $sql, array $params): \PDOStatement
    {
        $statement = $this->db->pdo()->prepare($sql);
        $statement->execute($params);
        return $statement;
    }
}
