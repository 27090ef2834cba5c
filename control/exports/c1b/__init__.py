"""Tachograph driver card download files (C1B) made from a LIC record; docs/exports.md."""
