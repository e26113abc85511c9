#!/usr/bin/env python3
"""Checks the editorial lifecycle's pages as a reader sees them, in headless Chromium: the
embargoed page is in no page of the site published before its day (index, links, text) and is
there after; the withdrawn page says it was withdrawn, when and why; the updated page shows
"What changed"; and feed.xml is a valid Atom feed (RFC 4287: the required elements, RFC 3339
dates, one id per entry: Scripts/check/atom.py) listing the withdrawal and the update.

Usage: Scripts/check/check-lifecycle.py BEFORE_SITE AFTER_SITE TODAY [SCREENSHOT_DIR]
"""
import os
import sys

from selenium.webdriver.common.by import By

from atom import validate_atom
from chromium import chromium, serious_violations, exit_on_failures, page_text

before, after, today = (os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3])
shots = sys.argv[4] if len(sys.argv) > 4 else None
failures = []


def fail(message):
    failures.append(message)


driver = chromium(after + ".chrome")
try:
    def body(site, page):
        return page_text(driver, site, page)

    # Before its day, the embargoed page is nowhere: no file, no index entry, no link, no word.
    if os.path.exists(f"{before}/flu-vaccine.html"):
        fail("before: flu-vaccine.html exists before its publish-on day")
    for name in sorted(os.listdir(before)):
        if name.endswith(".html"):
            text = body(before, name)
            links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "a[href]")]
            if "Flu vaccine" in text or any("flu-vaccine" in (href or "") for href in links):
                fail(f"before: {name} reveals the embargoed page")
    if any("Flu" in (title or "") for title, _ in validate_atom(f"{before}/feed.xml", "before", fail)):
        fail("before: the feed lists the embargoed page")

    # On its day it is there, in the index and the feed.
    if "Flu vaccine 2027" not in body(after, "flu-vaccine.html"):
        fail("after: the flu page does not show its title")
    if "Flu vaccine 2027" not in body(after, "index.html"):
        fail("after: the index does not list the flu page")
    if shots:
        driver.save_screenshot(os.path.join(shots, "lifecycle-index.png"))

    # The withdrawn page: withdrawn, when, by whom and why; nothing of the old advice.
    text = body(after, "ibuprofen.html")
    for expected in ("This page has been withdrawn.", "Dr Ada Test", "Reason: The dose advice was wrong for children"):
        if expected not in text:
            fail(f"after: ibuprofen.html does not show: {expected}")
    if "Take the dose on the packet" in text:
        fail("after: the withdrawn page still shows the retracted advice")
    notice = driver.find_elements(By.CSS_SELECTOR, ".withdrawn-notice time")
    if not notice or notice[0].get_attribute("datetime") != today:
        fail(f"after: the withdrawal is not dated {today}")
    if shots:
        driver.save_screenshot(os.path.join(shots, "lifecycle-withdrawn.png"))

    # What changed, under the reviewed-by lines.
    text = body(after, "iron-deficiency.html")
    if "What changed" not in text or "Added shortness of breath to the symptoms." not in text:
        fail("after: iron-deficiency.html does not show what changed")
    reviewed = driver.find_elements(By.CSS_SELECTOR, ".review")
    changes = driver.find_elements(By.CSS_SELECTOR, "section.changes")
    if not reviewed or not changes or reviewed[0].location["y"] >= changes[0].location["y"]:
        fail("after: 'What changed' is not under the reviewed-by lines")
    if shots:
        driver.save_screenshot(os.path.join(shots, "lifecycle-changes.png"))

    # axe-core on the new kinds of page: no serious or critical violation.
    for page in ("ibuprofen.html", "iron-deficiency.html", "flu-vaccine.html"):
        body(after, page)
        for violation in serious_violations(driver):
            fail(f"after: {page}: {violation}")

    entries = validate_atom(f"{after}/feed.xml", "after", fail)
    titles = [title for title, _ in entries]
    for expected in ("Withdrawn: Ibuprofen", "Updated: Iron deficiency", "New: Flu vaccine 2027"):
        if expected not in titles:
            fail(f"after: the feed has no entry '{expected}' ({titles})")
    if ("Updated: Iron deficiency", "Added shortness of breath to the symptoms.") not in entries:
        fail("after: the feed's update does not carry its change note")
    sitemap = open(f"{after}/sitemap.xml").read()
    if "ibuprofen.html</loc><lastmod>" + today not in sitemap:
        fail("after: the sitemap does not list the withdrawn page, dated its withdrawal")
    print(f"check-lifecycle: before and after in Chromium; feed entries: {titles}")
finally:
    driver.quit()

exit_on_failures("check-lifecycle", failures)
