"""Notes' Markdown: what members write renders as expected, and anything active is inert."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from twoway.core.markdown import render_markdown


def test_a_normal_sample_renders_as_expected() -> None:
    # Given a note with the usual Markdown
    text = (
        "# Plan\n\n**Bold** and *italic* and ~~gone~~.\n\n- one\n- two\n\n1. first\n\n"
        "> a quote\n\n`code` [a link](https://example.org/x)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    # When it is rendered
    html = render_markdown(text)
    # Then headings move under the page's own, links are safe, tables and lists stay
    assert "<h3>Plan</h3>" in html and "<h1>" not in html
    assert "<strong>Bold</strong>" in html and "<em>italic</em>" in html
    assert "<s>gone</s>" in html or "<del>gone</del>" in html
    assert "<ul>\n<li>one</li>" in html and "<ol>" in html and "<blockquote>" in html
    assert "<code>code</code>" in html
    assert '<a href="https://example.org/x" rel="noopener noreferrer nofollow">a link</a>' in html
    assert "<table>" in html and "<td>2</td>" in html


class _Tags(HTMLParser):
    """Every element and attribute the browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert('x')</script>",
        '<img src="x" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        '<iframe src="https://evil.example"></iframe>',
        '<p onclick="alert(1)">raw</p>',
        '<div style="position:fixed">raw html</div>',
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_active_content_is_inert(text: str) -> None:
    # When a note carries script, handlers, javascript: or data: links, or raw HTML
    found = elements(render_markdown(text))
    # Then the browser builds nothing but paragraphs (and safe links): no script, image,
    # frame, handler, style or dangerous URL
    for tag, attrs in found:
        assert tag in {"p", "a"}, tag
        assert set(attrs) <= {"href", "rel"}, attrs
        href = (attrs.get("href") or "").lower()
        assert not href.startswith(("javascript:", "data:")), href


def test_a_data_url_link_is_dropped() -> None:
    html = render_markdown("[x](data:text/html;base64,PHNjcmlwdD4=)")
    assert "href" not in html
