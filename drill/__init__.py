"""The failover drill: the portal's release on this machine with real MariaDB, memcached, PHP and HAProxy.

`python -m drill` (or `make drill`) starts everything on loopback in a temporary folder, runs the scenarios,
prints a table (scenario, expectation, measured, result) and exits 0 only when every scenario passed.
"""
