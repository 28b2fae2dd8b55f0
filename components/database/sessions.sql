-- The sessions table of the shop, in the portal database (portal:dbName).
--
-- Sessions live in Multi-AZ MySQL, not in memcached and not on a web server's disk, so losing a web
-- server, a cache node or a whole Availability Zone logs nobody out and empties nobody's basket.
-- The web tier's session handler reads the table and column names from the `session_store` output
-- of `ecommerce:database:Database` (published under its parameter prefix); keep the two in step.
--
-- `pulumi up` applies this file through the database bootstrap function (components/database/bootstrap),
-- over verified TLS, whenever the file changes; it must stay idempotent.

CREATE TABLE IF NOT EXISTS sessions (
    -- Session id as sent in the cookie (PHP allows up to 256 characters; 128 covers every default).
    sess_id       VARBINARY(128)  NOT NULL,
    -- Serialized session payload; MEDIUMBLOB (16 MiB) so a large basket never truncates.
    sess_data     MEDIUMBLOB      NOT NULL,
    -- Lifetime of this session in seconds (the handler writes its configured gc_maxlifetime).
    sess_lifetime INT UNSIGNED    NOT NULL,
    -- Unix time of the last write; garbage collection deletes rows whose sess_time + sess_lifetime < now.
    sess_time     INT UNSIGNED    NOT NULL,
    PRIMARY KEY (sess_id),
    -- Garbage collection scans by expiry, never the whole table.
    KEY sessions_expiry_idx (sess_time)
) ENGINE = InnoDB
  DEFAULT CHARSET = utf8mb4
  COLLATE = utf8mb4_0900_ai_ci
  COMMENT = 'Web sessions, shared by every web server in every Availability Zone';
