<?php
// Shared start of every entry point (public/*.php, bin/*.php): class loading and error reporting.
// No Composer: the release is a plain tree of files, so a server needs nothing but PHP to run it.
declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    // Classes load only when used, so a page never depends on code it does not run.
    if (str_starts_with($class, 'Portal\\')) {
        $file = __DIR__ . '/' . substr($class, strlen('Portal\\')) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});

// Errors go to the log, never into a page a customer sees.
ini_set('display_errors', '0');
ini_set('log_errors', '1');
