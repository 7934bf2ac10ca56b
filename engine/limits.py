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

MAX_RECENT_LAYOUTS = 8
"""The editor services keep the layouts (blocks and labels) of at most this many recent texts:
completion, hover, the outline and code actions on one version read it once."""

MAX_RECENT_LAYOUT_CHARS = MAX_DOCUMENT_BYTES
"""... and of at most this many characters of text in all (the newest is always kept): a layout
holds about seven times its text (35 MB for a 5 MB record), so a few large documents being
edited cannot keep hundreds of megabytes alive."""

MAX_OUTLINE_SYMBOLS = 5_000
"""A document's outline (the editor's symbols) lists at most this many sections, blocks and
labels, the first in document order: a real record has a few hundred, and a 5 MB one with
tens of thousands of labels made a 27 MB answer that took seconds to send."""

MAX_REQUEST_WAIT_SECONDS = 10.0
"""A language-server request is answered within this many seconds: what it waits for (its
document's check) and what it computes (reading the document) share the bound; past it the
client gets the feature's empty answer and the reading, kept, serves the next request. A 5 MB
record's first request after an edit takes about 5 s on a 2-core machine (its check, then its
layout); later requests on it take milliseconds."""

LSP_REQUEST_THREADS = 4
"""At most this many requests' work runs at once (the rest wait their turn, within their bound):
a request on a small document is not held up by a slow one on a large document."""
