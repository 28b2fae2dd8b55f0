<?php
// The drill's stand-in for the httpd configuration the boot script writes: the stack's health path is answered by
// public/healthz.php, files under public/ are served as they are, every other path goes to public/index.php.
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($path === getenv('PORTAL_HEALTH_PATH')) {
    require $_SERVER['DOCUMENT_ROOT'] . '/healthz.php';
    return true;
}
if ($path !== '/' && is_file($_SERVER['DOCUMENT_ROOT'] . $path)) {
    return false;
}
require $_SERVER['DOCUMENT_ROOT'] . '/index.php';
return true;
