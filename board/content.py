"""Turning what an author types into safe HTML, plain text and search keys.

Bodies are Markdown (HTML inside it is allowed); the rendered HTML is cleaned with nh3
against a small allowlist on the way in, so nothing a user writes can run script in another
user's browser. Only the cleaned HTML is ever rendered unescaped.
"""

import html

import markdown
import nh3

# Headings start at h2: the post page's own title is the page's h1.
ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "a", "strong", "b", "em", "i", "u", "s", "del", "ins", "mark",
        "sub", "sup", "small", "code", "pre", "kbd", "blockquote", "ul", "ol", "li",
        "dl", "dt", "dd", "h2", "h3", "h4", "h5", "h6", "table", "caption", "thead",
        "tbody", "tfoot", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = frozenset({"http", "https", "mailto"})
_MD_EXTENSIONS = ["extra", "sane_lists", "nl2br"]


def clean_html(raw: str) -> str:
    """Keep only allowlisted tags and attributes; links get rel="noopener noreferrer"."""
    return nh3.clean(
        raw,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_URL_SCHEMES),
        link_rel="noopener noreferrer",
    )


def render_body(source: str) -> str:
    """Markdown (with inline HTML) → cleaned HTML."""
    # h1 in a body would break the page's heading order: demote it to h2 before cleaning.
    rendered = markdown.markdown(source, extensions=_MD_EXTENSIONS, output_format="html")
    rendered = rendered.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return clean_html(rendered)


def html_to_text(cleaned: str) -> str:
    """Plain text of cleaned HTML (tags dropped, entities decoded), whitespace collapsed."""
    text = nh3.clean(cleaned.replace("<", " <"), tags=set(), attributes={})
    return " ".join(html.unescape(text).split())
