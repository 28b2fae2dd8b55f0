-- Customer accounts. Only a password hash (PHP's password_hash) is stored, never the password.
CREATE TABLE IF NOT EXISTS customers (
    id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
    email         VARCHAR(254)    NOT NULL,
    password_hash VARCHAR(255)    NOT NULL,
    created_at    TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (id),
    UNIQUE KEY customers_email_uq (email)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
