-- The catalogue. Product images are objects under the assets bucket's media prefix, served by CloudFront on the
-- static domain; image_key is the key below that prefix.
CREATE TABLE IF NOT EXISTS products (
    sku         VARCHAR(32)  NOT NULL,
    name        VARCHAR(200) NOT NULL,
    price_cents INT UNSIGNED NOT NULL,
    image_key   VARCHAR(255) NOT NULL,
    PRIMARY KEY (sku)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- A starter range, so a fresh stack has something to show; replace it with your own catalogue.
INSERT IGNORE INTO products (sku, name, price_cents, image_key) VALUES
    ('MUG-001', 'Enamel mug', 1450, 'products/mug-001.jpg'),
    ('TEE-001', 'Organic cotton T-shirt', 2900, 'products/tee-001.jpg'),
    ('BAG-001', 'Canvas tote bag', 1900, 'products/bag-001.jpg'),
    ('CAP-001', 'Wool cap', 2400, 'products/cap-001.jpg');
