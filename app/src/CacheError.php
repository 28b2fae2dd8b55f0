<?php
declare(strict_types=1);

namespace Portal;

/** The cache could not answer; callers serve from the database instead. */
final class CacheError extends \RuntimeException
{
}
