"""The panel app's tests: until H1's engine is merged, a stand-in takes its place (tests/panels/engine_stub.py)."""

from tests.panels.engine_stub import install

install()
