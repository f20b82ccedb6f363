"""Kept for bench/load_web.py, which imports start_nginx from here: the servers the tests
start live in tests/helpers/servers.py. Nothing in tests/ imports this module."""

from tests.helpers.servers import start_nginx, start_server

__all__ = ["start_nginx", "start_server"]
