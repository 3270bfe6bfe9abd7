"""HTML to plain text for imported stems: we store text and always render it escaped."""

import html
import re
from html.parser import HTMLParser

_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_to_text(value: str) -> str:
    collector = _TextCollector()
    collector.feed(value)
    collector.close()
    lines = [" ".join(line.split()) for line in "".join(collector.parts).splitlines()]
    return "\n".join(line for line in lines if line).strip()


def unescape(value: str) -> str:
    return html.unescape(value)


# C0 controls XML 1.0 and xlsx cannot hold (tab, line feed and carriage return they can), and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Without control characters: Word's vertical tab (a manual line break) and a form feed
    become line breaks, the others go."""
    return _CONTROL.sub("", value.replace("\x0b", "\n").replace("\x0c", "\n"))
