"""Shared pytest configuration.

Registers the Oxigraph server and proxy fixtures of ``tests/oxigraph_server.py``; pytest's
default ("prepend") import mode puts this directory on ``sys.path``, so the module imports
by its bare name.
"""

pytest_plugins = ["oxigraph_server"]
