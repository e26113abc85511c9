"""An Atom feed checked as a validator would (RFC 4287), shared by Scripts/check/check-lifecycle.py
and Scripts/check/check-sample-site.py."""
import re
import xml.etree.ElementTree as ET

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def validate_atom(path, label, fail):
    """RFC 4287's rules that a validator checks: root atom:feed; feed id, title, updated; an
    author on the feed or on every entry; each entry with id, title, updated and a link or
    content; dates in RFC 3339; ids unique. Calls fail(message) for each breach. Returns the
    entries as (title, summary)."""
    try:
        feed = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as error:
        fail(f"{label}: feed.xml is not well-formed XML: {error}")
        return []
    if feed.tag != ATOM + "feed":
        fail(f"{label}: feed.xml's root is {feed.tag}, not atom:feed")
    for name in ("id", "title", "updated"):
        if len(feed.findall(ATOM + name)) != 1:
            fail(f"{label}: the feed needs exactly one {name}")
    entries = feed.findall(ATOM + "entry")
    ids = set()
    for entry in entries:
        for name in ("id", "title", "updated"):
            if len(entry.findall(ATOM + name)) != 1:
                fail(f"{label}: an entry needs exactly one {name}")
        if entry.find(ATOM + "link") is None and entry.find(ATOM + "content") is None:
            fail(f"{label}: an entry has neither link nor content")
        if feed.find(ATOM + "author") is None and entry.find(ATOM + "author") is None:
            fail(f"{label}: an entry has no author and the feed names none")
        ids.add(entry.findtext(ATOM + "id"))
    for element in feed.iter():
        if element.tag in (ATOM + "updated", ATOM + "published") and not RFC3339.match(element.text or ""):
            fail(f"{label}: {element.text!r} is not an RFC 3339 date")
    if len(ids) != len(entries):
        fail(f"{label}: entry ids repeat")
    return [(e.findtext(ATOM + "title"), e.findtext(ATOM + "summary")) for e in entries]
