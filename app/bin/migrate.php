<?php
// Schema migrations, run by the boot script before httpd starts: `php bin/migrate.php` (config from PORTAL_CONFIG).
//
// Every migrations/NNNN_name.sql not yet recorded in schema_migrations is applied, in name order, and recorded with
// its checksum and the release that applied it, so each migration runs once per database whatever the number of
// releases and servers. Servers of an Auto Scaling group boot together: a MySQL named lock (GET_LOCK) lets one of
// them migrate while the others wait and then find nothing left to do. MySQL commits DDL implicitly, so a
// migration is not atomic: write each one idempotent (CREATE TABLE IF NOT EXISTS, INSERT IGNORE), and a server
// that dies half-way leaves a state the next one can finish.
//
// Statements are separated by a semicolon at the end of a line; lines starting with -- are comments.
// Exit status: 0 applied or nothing to do, 1 failed (the boot fails and the server never takes traffic).
declare(strict_types=1);

require __DIR__ . '/../src/bootstrap.php';

use Portal\Config;
use Portal\Database;

const LOCK_NAME = 'portal_schema_migrations';
const LOCK_WAIT_SECONDS = 120;

/** @return list<string> */
function statements(string $sql, bool $mariadb): array
{
    if ($mariadb) {
        // MariaDB (the local failover drill) only knows MySQL 8's default collation from 11.4.5 on; this is the
        // same Unicode collation without pad spaces under MariaDB's own name.
        $sql = str_replace('utf8mb4_0900_ai_ci', 'utf8mb4_uca1400_nopad_ai_ci', $sql);
    }
    $sql = preg_replace('/^\s*--.*$/m', '', $sql);
    return array_values(array_filter(array_map('trim', preg_split('/;[ \t]*$/m', $sql)), 'strlen'));
}

function main(): int
{
    $config = Config::load();
    $release = (string) $config->get('release');
    // A longer timeout than a page's: at boot the database may be busy with other servers' migrations.
    $pdo = (new Database($config->section('database'), 10.0))->pdo();
    $lock = $pdo->prepare('SELECT GET_LOCK(?, ?)');
    $lock->execute([LOCK_NAME, LOCK_WAIT_SECONDS]);
    if ((int) $lock->fetchColumn() !== 1) {
        fwrite(STDERR, "migrate: another server held the migration lock for more than " . LOCK_WAIT_SECONDS . " s\n");
        return 1;
    }
    try {
        $pdo->exec('CREATE TABLE IF NOT EXISTS schema_migrations (version VARCHAR(128) NOT NULL, '
            . 'checksum CHAR(64) NOT NULL, release_id VARCHAR(64) NOT NULL, '
            . 'applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, PRIMARY KEY (version)) '
            . 'ENGINE = InnoDB DEFAULT CHARSET = utf8mb4');
        $applied = $pdo->query('SELECT version, checksum FROM schema_migrations')->fetchAll(PDO::FETCH_KEY_PAIR);
        $mariadb = str_contains((string) $pdo->query('SELECT VERSION()')->fetchColumn(), 'MariaDB');
        $files = glob(dirname(__DIR__) . '/migrations/*.sql') ?: [];
        sort($files, SORT_STRING);
        $done = [];
        foreach ($files as $file) {
            $version = basename($file, '.sql');
            $sql = (string) file_get_contents($file);
            $checksum = hash('sha256', $sql);
            if (isset($applied[$version])) {
                if ($applied[$version] !== $checksum) {
                    // Applied migrations are history: an edit is never re-run, so say so rather than fail the boot.
                    fwrite(STDERR, "migrate: warning: {$version} changed since it was applied; it is not re-run\n");
                }
                continue;
            }
            foreach (statements($sql, $mariadb) as $statement) {
                $pdo->exec($statement);
            }
            $pdo->prepare('INSERT INTO schema_migrations (version, checksum, release_id) VALUES (?, ?, ?)')
                ->execute([$version, $checksum, $release]);
            $done[] = $version;
        }
        echo $done ? "migrate: release {$release} applied " . implode(', ', $done) . "\n"
            : "migrate: release {$release}: schema up to date\n";
        return 0;
    } finally {
        $pdo->prepare('SELECT RELEASE_LOCK(?)')->execute([LOCK_NAME]);
    }
}

try {
    exit(main());
} catch (\Throwable $e) {
    fwrite(STDERR, 'migrate: failed: ' . $e->getMessage() . "\n");
    exit(1);
}
