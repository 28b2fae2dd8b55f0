<?php
declare(strict_types=1);

namespace Portal;

/**
 * The shop's pages: the product list, registration, login, logout and a cart kept in the session.
 * Everything a visitor has (login, cart) lives in the session, and the session lives in the database.
 */
final class Shop
{
    private readonly Database $db;
    private readonly Catalog $catalog;

    public function __construct(private readonly Config $config)
    {
        $this->db = new Database($config->section('database'));
        $imageBase = rtrim((string) $config->get('assets.staticBaseUrl'), '/') . '/'
            . (string) $config->get('assets.mediaPrefix', 'media/');
        $this->catalog = new Catalog($this->db, new MemcachedClient($config->section('cache')), $imageBase);
    }

    public function handle(string $method, string $path): void
    {
        $this->startSession();
        $route = "{$method} {$path}";
        if ($method === 'POST' && !hash_equals($_SESSION['csrf'], (string) ($_POST['csrf'] ?? ''))) {
            $this->respond(400, 'The form has expired; reload the page and try again.');
            return;
        }
        match ($route) {
            'GET /' => $this->home(),
            'GET /cart.json' => $this->cartJson(),
            'POST /register' => $this->register(),
            'POST /login' => $this->login(),
            'POST /logout' => $this->logout(),
            'POST /cart' => $this->addToCart(),
            default => $this->respond(404, 'Not found.'),
        };
    }

    private function startSession(): void
    {
        $lifetime = 86400;
        ini_set('session.use_strict_mode', '1');
        ini_set('session.use_only_cookies', '1');
        ini_set('session.gc_maxlifetime', (string) $lifetime);
        // Expired rows are deleted by roughly one request in a thousand, on whichever server takes it.
        ini_set('session.gc_probability', '1');
        ini_set('session.gc_divisor', '1000');
        session_name('portal_session');
        // TLS ends at the load balancer, which says so in X-Forwarded-Proto.
        $https = ($_SERVER['HTTP_X_FORWARDED_PROTO'] ?? '') === 'https' || !empty($_SERVER['HTTPS']);
        session_set_cookie_params(['path' => '/', 'secure' => $https, 'httponly' => true, 'samesite' => 'Lax']);
        session_set_save_handler(new DatabaseSessionHandler($this->db, $this->config->section('session'), $lifetime));
        if (!session_start()) {
            throw new \RuntimeException('the session could not be started');
        }
        $_SESSION['csrf'] ??= bin2hex(random_bytes(16));
        $_SESSION['cart'] ??= [];
    }

    private function home(): void
    {
        $products = $this->catalog->products();
        header('X-Cache: ' . $this->catalog->cacheStatus);
        $e = static fn (mixed $v): string => htmlspecialchars((string) $v, ENT_QUOTES);
        $csrf = $e($_SESSION['csrf']);
        $customer = $_SESSION['customer'] ?? null;
        $items = '';
        foreach ($products as $p) {
            $items .= sprintf('<li><img src="%s" alt="" width="120" height="120"> %s, %s '
                . '<form method="post" action="/cart"><input type="hidden" name="csrf" value="%s">'
                . '<input type="hidden" name="sku" value="%s"><button>Add to cart</button></form></li>',
                $e($p['image_url']), $e($p['name']), $e(self::price($p['price_cents'])), $csrf, $e($p['sku']));
        }
        $account = $customer
            ? sprintf('Signed in as %s. <form method="post" action="/logout"><input type="hidden" name="csrf" '
                . 'value="%s"><button>Sign out</button></form>', $e($customer), $csrf)
            : sprintf('<form method="post" action="/login"><input type="hidden" name="csrf" value="%1$s">'
                . '<input name="email" type="email" required> <input name="password" type="password" required> '
                . '<button>Sign in</button> <button formaction="/register">Create account</button></form>', $csrf);
        $this->respond(200, sprintf('<p>%s</p><p>Cart: %d item(s)</p><ul>%s</ul>', $account,
            array_sum($_SESSION['cart']), $items), raw: true);
    }

    private function cartJson(): void
    {
        header('Content-Type: application/json');
        header('Cache-Control: no-store');
        echo json_encode(['customer' => $_SESSION['customer'] ?? null, 'cart' => (object) $_SESSION['cart'],
            'csrf' => $_SESSION['csrf'], 'release' => $this->config->get('release')]), "\n";
    }

    private function register(): void
    {
        $email = strtolower(trim((string) ($_POST['email'] ?? '')));
        $password = (string) ($_POST['password'] ?? '');
        if (!filter_var($email, FILTER_VALIDATE_EMAIL) || strlen($password) < 10) {
            $this->respond(422, 'An e-mail address and a password of at least 10 characters are needed.');
            return;
        }
        $insert = $this->db->pdo()->prepare('INSERT IGNORE INTO customers (email, password_hash) VALUES (?, ?)');
        $insert->execute([$email, password_hash($password, PASSWORD_DEFAULT)]);
        if ($insert->rowCount() === 0) {
            $this->respond(409, 'That e-mail address already has an account; sign in instead.');
            return;
        }
        $this->signIn($email);
    }

    private function login(): void
    {
        $email = strtolower(trim((string) ($_POST['email'] ?? '')));
        $find = $this->db->pdo()->prepare('SELECT password_hash FROM customers WHERE email = ?');
        $find->execute([$email]);
        $hash = $find->fetchColumn();
        if ($hash === false || !password_verify((string) ($_POST['password'] ?? ''), (string) $hash)) {
            $this->respond(401, 'Wrong e-mail address or password.');
            return;
        }
        $this->signIn($email);
    }

    private function signIn(string $email): void
    {
        // A new session id at login, so an id planted before login is worth nothing after it; the cart stays.
        session_regenerate_id(true);
        $_SESSION['customer'] = $email;
        $this->redirect('/');
    }

    private function logout(): void
    {
        $_SESSION = [];
        session_destroy();
        $this->redirect('/');
    }

    private function addToCart(): void
    {
        $sku = (string) ($_POST['sku'] ?? '');
        if (!isset($this->catalog->bySku()[$sku])) {
            $this->respond(404, 'No such product.');
            return;
        }
        $_SESSION['cart'][$sku] = ($_SESSION['cart'][$sku] ?? 0) + max(1, min(99, (int) ($_POST['quantity'] ?? 1)));
        $this->redirect('/');
    }

    private function redirect(string $to): void
    {
        http_response_code(303);
        header("Location: {$to}");
    }

    private function respond(int $status, string $body, bool $raw = false): void
    {
        http_response_code($status);
        header('Content-Type: text/html; charset=utf-8');
        $body = $raw ? $body : '<p>' . htmlspecialchars($body, ENT_QUOTES) . '</p>';
        echo "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Shop</title></head><body>"
            . "<h1>Shop</h1>{$body}</body></html>\n";
    }

    private static function price(int $cents): string
    {
        return sprintf('EUR %d.%02d', intdiv($cents, 100), $cents % 100);
    }
}
