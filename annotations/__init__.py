"""Claimdesk's core: storage, schema, import, pipeline, review and export, with no Qt."""

__version__ = "0.1.0"
