"""Renderers shared by the CLI and the digest: text, markdown, HTML, JSON."""
