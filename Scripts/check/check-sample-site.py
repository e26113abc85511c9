#!/usr/bin/env python3
"""The sample content's editorial lifecycle as a reader sees it (issue 38, item 4), in headless
Chromium, on two sites Scripts/check/check-site publishes from the samples' HEAD: one before the
RSV vaccine page's publish-on day and one on it.

Before its day, the embargoed page is in no file of the site (no page, index entry, link, feed
entry or word of it); on its day it is there, with "What changed" and its change note under the
reviewed-by line. The retracted vitamin D page, on both, says it was withdrawn, when, by whom
and why, and shows none of the withdrawn advice. feed.xml is valid Atom on both
(Scripts/check/atom.py) and lists the withdrawal, and on the day the new page with its note.

Usage: Scripts/check/check-sample-site.py BEFORE_SITE AFTER_SITE
"""
import os
import sys

from selenium.webdriver.common.by import By

from atom import validate_atom
from chromium import chromium, serious_violations, exit_on_failures, page_text

before, after = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
failures = []
EMBARGOED = ("rsv-vaccine", "rsv vaccine", "syncytial")  # its slug, its title, its text
NOTE = "Added advice for people with a weakened immune system."
REASON = "The daily dose given for children aged 1 to 4 was wrong; a corrected page is being reviewed."


def fail(message):
    failures.append(message)


# Before its day, as bytes: no file of the site (pages, index, feed, sitemap, bundles,
# stylesheet) is named after the embargoed page or holds a word of it.
files = [os.path.join(folder, name) for folder, _, names in os.walk(before) for name in names]
for path in files:
    name = os.path.relpath(path, before)
    if "rsv" in name.lower():
        fail(f"before: {name} is named after the embargoed page")
    data = open(path, "rb").read().decode("utf-8", "replace").lower()
    for word in EMBARGOED:
        if word in data:
            fail(f"before: {name} holds '{word}' before the page's publish-on day")

driver = chromium(after + ".chrome")
try:
    def body(site, page):
        return page_text(driver, site, page)

    # Before its day, as a reader: no page shows it or links to it.
    pages = sorted(name for name in os.listdir(before) if name.endswith(".html"))
    for name in pages:
        text = body(before, name)
        links = [a.get_attribute("href") or "" for a in driver.find_elements(By.CSS_SELECTOR, "a[href]")]
        if "RSV" in text or any("rsv-vaccine" in href for href in links):
            fail(f"before: {name} reveals the embargoed page")
    entries = validate_atom(f"{before}/feed.xml", "before", fail)
    if any("RSV" in (title or "") or "RSV" in (summary or "") for title, summary in entries):
        fail("before: the feed lists the embargoed page")
    if ("Withdrawn: Vitamin D supplements", f"Withdrawn on 2026-12-06: {REASON}") not in entries:
        fail(f"before: the feed has no withdrawal of the vitamin D page with its reason ({entries})")

    # On its day: the page, in the index, with what changed under the reviewed-by line.
    text = body(after, "rsv-vaccine.html")
    if "RSV vaccine for older adults" not in text:
        fail("after: rsv-vaccine.html does not show its title")
    if "What changed" not in text or f"6 December 2026: {NOTE}" not in text.replace(" :", ":"):
        fail(f"after: rsv-vaccine.html does not show its change note under 'What changed': {text[:600]}")
    reviewed = driver.find_elements(By.CSS_SELECTOR, ".review")
    changes = driver.find_elements(By.CSS_SELECTOR, "section.changes")
    if not reviewed or not changes or reviewed[0].location["y"] >= changes[0].location["y"]:
        fail("after: 'What changed' is not under the reviewed-by line")
    if "RSV vaccine for older adults" not in body(after, "index.html"):
        fail("after: the index does not list the RSV vaccine page")
    links = [a.get_attribute("href") or "" for a in driver.find_elements(By.CSS_SELECTOR, "a[href]")]
    if not any(href.endswith("/rsv-vaccine.html") for href in links):
        fail("after: the index does not link to the RSV vaccine page")

    # The withdrawn page, before and on the day: withdrawn, when, by whom, why; no old advice.
    for label, site in (("before", before), ("after", after)):
        text = body(site, "vitamin-d.html")
        for expected in ("This page has been withdrawn.", "withdrawn on 6 December 2026 by Hana Kimura, MA, health editor",
                         f"Reason: {REASON}"):
            if expected not in text:
                fail(f"{label}: vitamin-d.html does not show: {expected}")
        if "25 micrograms" in text or "How much to take" in text:
            fail(f"{label}: the withdrawn page still shows the withdrawn advice")
        notice = driver.find_elements(By.CSS_SELECTOR, ".withdrawn-notice time")
        if not notice or notice[0].get_attribute("datetime") != "2026-12-06":
            fail(f"{label}: the withdrawal is not dated 2026-12-06")

    # axe-core on the two new pages: no serious or critical violation.
    for page in ("rsv-vaccine.html", "vitamin-d.html"):
        body(after, page)
        for violation in serious_violations(driver):
            fail(f"after: {page}: {violation}")

    entries = validate_atom(f"{after}/feed.xml", "after", fail)
    if ("New: RSV vaccine for older adults", NOTE) not in entries:
        fail(f"after: the feed has no entry for the new RSV vaccine page with its change note ({entries})")
    if not any(title == "Withdrawn: Vitamin D supplements" for title, _ in entries):
        fail("after: the feed no longer lists the withdrawal")
    print(f"check-sample-site: {len(files)} files and {len(pages)} pages before the embargo's day hold nothing of it; "
          f"on the day: the page, its change note, the withdrawn notice; feed entries: {[t for t, _ in entries]}")
finally:
    driver.quit()

exit_on_failures("check-sample-site", failures)
