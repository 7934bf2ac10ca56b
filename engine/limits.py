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

# The rule language (engine/cel): what one expression may be, and what one evaluation may cost.

MAX_EXPRESSION_LENGTH = 20_000
"""An expression longer than this many characters is a syntax error at the first character past
the limit, refused before parsing. The built-in pack's longest is under 2,000; a long list of
values belongs in the policy's `data`, not in an expression."""

MAX_EXPRESSION_NODES = 2_500
"""An expression of more syntax nodes than this (operands, operators, calls, list items) is a
syntax error at the first node past the limit, so checking, compiling and generating code for
one expression stays well under a second. The built-in pack's largest has under 250."""

MAX_EXPRESSION_DEPTH = 200
"""How deep an expression may nest (parentheses count); deeper is a syntax error. The CEL spec
asks for 32; no sane policy nears 200, and every pass over the tree stays within Python's stack."""
