"""The hotfix-policy language server: validation as you type for incident records, hotfix PR
descriptions, reviews, policies and `.policy.yaml`, over pygls 2.

A thin front end: each handler gets the document, calls the engine, converts the answer to
lsprotocol types (`convert.py`). `server.build_server()` registers every feature in one place;
`policy lsp [--stdio | --tcp HOST:PORT]` runs it.
"""

from ..engine import __version__

__all__ = ["__version__"]
