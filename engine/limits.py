"""The product's resource limits, in one place: what any input may cost before it is refused.

Each limit that is hit fails closed with a message that names it (a finding on a document, one
line and exit 2 for a policy or the command line, an error in the language server's log); the
README's "Reliability and security" section lists them, and its rule-language "Limits" paragraph
those of expressions. The rule language (engine/cel) imports this leaf module and nothing else
above it.
"""

MAX_DOCUMENT_BYTES = 1024 * 1024
"""A Markdown document or message file larger than this is DOC003, not read. An incident record
is a few KB (the seed's examples 2-4 KB; one with 500 status updates about 100 KB), a PR body at
most GitHub's 65,536 characters; reading, extraction and the pack cost about 3 s and 100 MB a
megabyte, so 10 MB made a limit a hostile record reached in half a minute and gigabytes."""

MAX_DOCUMENT_LINES = 20_000
"""A document of more lines than this is DOC003 ("too many lines") and not judged at all. Every
part of a document (section, block, list item, table row, label) starts on a line of its own, so
this bounds them all, counted before the Markdown parser builds anything: a megabyte of `## x`
lines or of blank lines is 200,000 or a million parts. A record with 500 updates has about 4,000."""

OVERSIZED_DOCUMENT_START_BYTES = 64 * 1024
"""Of a document over either limit above, only this much of its start is read, to tell its kind
(front matter, title, opening block): one of a known kind is DOC003 as that kind, so it is
never skipped as not ours; a large README or changelog is left out as any other."""

MAX_FINDINGS_PER_RULE = 100
"""One rule reports at most this many findings on one document, the first in the order found,
then one finding "and N more like this": a pasted log of 20,000 credentials is still reported,
in a report a reader can open."""

MESSAGE_LIST_ITEMS = 3
"""Items a finding's message names from a list before it counts the rest (`list.listed()`:
"after INC-1, INC-2, INC-3 and 996 others"): a message stays readable, and building it costs
the same for the thousandth hotfix of a month as for the second."""

MAX_INPUT_LIST_ITEMS = 3_000
"""Most labels in the GitHub event, entries in `--reviews` and paths in `--changed-files`: more
is refused (exit 2), naming the list. GitHub itself allows 100 labels on a pull request and its
list-files API returns at most 3,000 files."""

MAX_JSON_BYTES = 20 * 1024 * 1024
"""A JSON input (the GitHub event, reviews, changed files) larger than this is refused unread."""

MAX_LSP_MESSAGE_BYTES = 8 * MAX_DOCUMENT_BYTES
"""A language-server message body (JSON) larger than this is read in chunks and dropped: room
for the largest document the engine reads, JSON-escaped, with its envelope."""

MAX_LSP_HEADER_LINE_BYTES = 4096
"""A base-protocol header line is read at most this many bytes at a time."""

MAX_LSP_READ_AHEAD_BYTES = 256 * 1024
"""The language server reads stdin ahead of the messages it has handled by at most this much;
past it the client's writes wait (the pipe fills). About ten full-text edits of a 500-line
record: enough to handle a burst back to back, while a larger backlog only delays the last
edit (at 1 MiB its diagnostics came later, benchmarks/lsp_latency.py)."""

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

MAX_EXPRESSION_ERRORS = 10
"""Type errors reported for one expression (each at its own place, like a compiler's); past this
many, the rest are left for the next run, so a pasted wrong expression does not flood the file."""

COST_BUDGET = 1_000_000
"""What one evaluation may cost, in units of about one evaluated syntax node: macro iterations
times the size of their body, plus the charges below for what grows with the data. Beyond it the
evaluation fails with "evaluation cost budget exceeded" (EVAL001 for a rule): about a quarter of
a second of work, where the pack's rules use a few thousand units at most."""

SIZE_PER_COST_UNIT = 10
"""Characters or bytes an operation may produce per cost unit (CEL's own cost model charges
strings by size at 0.1 a character); a list element it produces costs a whole unit, as a macro
iteration does. `+`, `join`, `replace`, `split`, `substring`, `lowerAscii`, `upperAscii`, `trim`, `format`,
`formatTime`, `string(bytes)`, `bytes(string)`, `pairs`, `findAll`, `range`, `flatten` and `listed` are charged
for the size of their result
before it is built, so the budget also bounds what one evaluation can allocate: at most
SIZE_PER_COST_UNIT x COST_BUDGET characters, or COST_BUDGET elements. `x in list` costs one
unit per item it may scan."""

MAX_REGEX_LENGTH = 1_000
"""A regular expression (or `matchesGlob` pattern) longer than this many characters is refused:
at check time when it is written in the expression, as an evaluation error when it comes from
data. The pack's longest is 62."""

MAX_REGEX_REPEAT = 100
"""The largest repetition count a regular expression may write (`{n}`, `{n,m}`); RE2 allows
1,000, and counted repetitions multiply the size of its program (`[a-z]{1,1000}` is 2,000
instructions). A commit hash is `{40}`."""

MAX_REGEX_PROGRAM_SIZE = 1_000
"""The largest compiled RE2 program (instructions) a pattern may become, which bounds what
nested repetitions and long alternations make of a short pattern. The pack's largest is 49."""

REGEX_STEPS_PER_COST_UNIT = 10
"""Matching costs (subject length x program size) / this, charged before RE2 runs: RE2 is linear
in the subject, but when its DFA gives up it walks every instruction for every character, about
25 ns a step, so ten steps cost about what one cost unit does elsewhere."""

# YAML files (engine/located_yaml): policies, policy tests, the configuration, front matter.

MAX_YAML_BYTES = 1024 * 1024
"""A policy, policy test or configuration file (YAML) larger than this is refused unread: the
built-in pack's largest file is about 50 KB."""

MAX_YAML_NODES = 20_000
"""Most values (scalars, lists, mappings) in one YAML file. Counted as the parser produces them,
so a file of a million list items is refused after the first 20,000, in bounded time and
memory; counted again with aliases expanded (which stops 'billion laughs'), and as merge keys
(`<<`) are expanded. The built-in pack's largest file has about 1,500."""

MAX_YAML_DEPTH = 50
"""Deepest nesting of YAML mappings and lists, checked as the parser opens them (the pack nests
10 deep)."""

MAX_BASE_POLICY_FILES = 1_000
"""Most files a pull-request run reads from the base commit for its configuration and policies
(engine/policy/base_policies.py), and most it compares with the working tree; more is refused
(exit 2). The built-in pack has 9."""

MAX_DOCUMENT_CACHE_ENTRY_BYTES = 8 * MAX_DOCUMENT_BYTES
"""An extraction cache entry (engine/documents/cache.py) larger than this is neither written nor
read: the document is extracted on every run. An entry holds the values and their places, no
text: about 3 times the file for an incident record."""

MAX_DOCUMENT_CACHE_ENTRIES = 50_000
"""Entries the extraction cache keeps; past this, a run's first look deletes the least recently
used down to three quarters of it (a repository of 10,000 records, and the entries of a few
versions of it, fit)."""

MAX_RUN_CACHE_ENTRY_BYTES = 64 * MAX_DOCUMENT_BYTES
"""A run cache entry (engine/replay/run_cache.py) larger than this is neither written nor read:
the run is judged every time. An entry holds the findings, the placement of every document and
the masked text of those a finding names: about 3 MB for 1,000 incident records."""

MAX_RUN_CACHE_ENTRIES = 16
"""Entries the run cache keeps, the least recently used deleted first: one per state of the
repository and way of running a check (a few formats, a pre-commit run, an editor's save)."""

MAX_CACHE_ENTRY_BYTES = 32 * MAX_YAML_BYTES
"""A policy load cache entry (engine/policy/cache.py) larger than this is neither written nor
read: the policy loads from its file. An entry holds the file's data, places and syntax trees,
about 25 times the YAML (1.3 MB for the built-in pack's largest file)."""

# The language server (lsp/): how long a request may wait, what the editor keeps.

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

MAX_TEST_CLOCK_RATE = 600
"""The language server's test clock (`hotfixPolicy.testClock`) runs at most this many times as
fast as real time: ten clock minutes a second. The server re-checks the open records once a
clock minute, so a faster clock would be a busy loop of checks."""

MAX_LISTED_TESTS = 5_000
"""Most policy tests and rule examples the language server lists for the editor's Testing view
(and so runs); past it the list says how many were left out. The built-in pack has about 210."""

MAX_LENS_DOCUMENT_CHOICES = 50
"""Most documents a rule's "fails N" lens offers to open in an editor without a quick pick of
its own (the server's `window/showMessageRequest`, one button each); the message counts the rest."""

MAX_DURATION_SECONDS = 315_576_000_000
"""The rule language's durations span this many seconds either way (10,000 years, CEL's range):
arithmetic beyond it is an error, and a document's duration beyond it is not read as one (it
could not be compared or added)."""
