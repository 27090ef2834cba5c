"""Contrôle LIC: the domain library (no HTTP) of the controllers' toolkit."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lic-control")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"
