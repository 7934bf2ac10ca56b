"""The product's resource limits, in one place: what any input may cost before it is refused.

Each limit that is hit fails closed with a message that names it (a finding on a document, one
line and exit 2 for a policy or the command line, an error in the language server's log); the
README's "Reliability and security" section lists them.
"""

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
"""A Markdown document or message file larger than this is DOC003, not read."""

MAX_JSON_BYTES = 20 * 1024 * 1024
"""A JSON input (the GitHub event, reviews, changed files) larger than this is refused unread."""

MAX_LSP_MESSAGE_BYTES = 8 * MAX_DOCUMENT_BYTES
"""A language-server message body (JSON) larger than this is read in chunks and dropped: room
for the largest document the engine reads, JSON-escaped, with its envelope."""

MAX_LSP_HEADER_LINE_BYTES = 4096
"""A base-protocol header line is read at most this many bytes at a time."""

MAX_YAML_BYTES = 1024 * 1024
"""A policy, policy test or configuration file (YAML) larger than this is refused unread: the
built-in pack's largest file is about 50 KB."""

MAX_YAML_NODES = 20_000
"""Most values (scalars, lists, mappings) in one YAML file. Counted as the parser produces them,
so a file of a million list items is refused after the first 20,000, in bounded time and
memory; counted again with aliases expanded (which stops 'billion laughs'). The built-in pack's
largest file has about 1,500."""

MAX_YAML_DEPTH = 50
"""Deepest nesting of YAML mappings and lists, checked as the parser opens them (the pack nests
10 deep)."""
