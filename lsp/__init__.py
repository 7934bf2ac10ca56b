"""The hotfix-policy language server: validation as you type for incident records, hotfix PR
descriptions, reviews, policies and `.policy.yaml`, over pygls 2.

A thin front end: each handler gets the document, calls `engine/`, converts the answer to
lsprotocol types (`convert.py`). `server.build_server()` registers every feature in one place;
`python -m lsp [--stdio | --tcp HOST:PORT]` (also `policy lsp`) runs it.
"""

from engine import __version__

__all__ = ["__version__"]
