#!/usr/bin/env python3
"""Drives `review serve` in headless Chromium (selenium + chromedriver), as a medical reviewer
would: queue, article (the revision the form signs, drawn as the site draws it, beside its
changes), diff (with the same form), signing an approval with a public change note in the page
with the key file, the new state in the dashboard; then, once published, a retraction signed in
the page (issue 38): each form shows the exact record it signs. Also: a key file of another reviewer, a wrong passphrase and a page older
than the article are refused in the page. axe-core audits every page (no serious or critical
violation), and no page scrolls sideways at 390 or 1280 px.

Usage: Scripts/check/check-serve.py URL KEY_DIR REPO [SCREENSHOT_DIR]
"""
import json
import os
import subprocess
import sys
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from chromium import chromium, serious_violations, sideways_scroll

url, keys, repo = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
review = os.environ["REVIEW_BIN"]  # the review binary (publish, between the signatures)
work = os.environ["CHECK_SERVE_WORK"]  # where the published sites go
CHANGE_NOTE = "Added shortness of breath to the symptoms."
REASON = "The iron dose in the table was wrong; a corrected page is being written."
shots = sys.argv[4] if len(sys.argv) > 4 else None
failures = []


def fail(message):
    failures.append(message)
    print("check-serve.py: " + message, file=sys.stderr)


def audit(driver, name):
    for violation in serious_violations(driver):
        fail(f"{name}: {violation}")


widths = []


def fits(driver, name):
    """No sideways scroll on a phone (390 px) or a laptop (1280 px): the document is no wider
    than the viewport. Puts the window back as it was."""
    before = driver.get_window_size()
    for line, problem in sideways_scroll(driver, name):
        widths.append(line)
        if problem:
            fail(problem)
    driver.set_window_size(before["width"], before["height"])


def shot(driver, name):
    if shots:
        os.makedirs(shots, exist_ok=True)
        driver.save_screenshot(os.path.join(shots, name))


def commits():
    return int(subprocess.check_output(["git", "-C", repo, "rev-list", "--count", "HEAD"]).strip())


def sign(driver, reviewer, role, key_file, passphrase="", change_note=""):
    form = driver.find_element(By.ID, "sign-form")
    Select(form.find_element(By.NAME, "reviewer")).select_by_value(reviewer)
    Select(form.find_element(By.NAME, "role")).select_by_value(role)
    form.find_element(By.CSS_SELECTOR, "input[value=approve]").click()
    form.find_element(By.NAME, "comment").clear()
    form.find_element(By.NAME, "comment").send_keys("Checked the new symptom against current guidance.")
    form.find_element(By.NAME, "change-note").clear()
    form.find_element(By.NAME, "change-note").send_keys(change_note)
    form.find_element(By.NAME, "key").send_keys(key_file)
    form.find_element(By.NAME, "passphrase").clear()
    form.find_element(By.NAME, "passphrase").send_keys(passphrase)
    result = driver.find_element(By.ID, "sign-result")
    driver.execute_script("arguments[0].textContent = ''", result)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 20).until(lambda d: result.text.strip() != "")
    return result.text


driver = chromium(repo + ".chrome")
try:
    driver.set_window_size(1200, 1400)
    # The dashboard: one article, in review.
    driver.get(url + "/")
    if "1 in-review" not in driver.find_element(By.TAG_NAME, "main").text:
        fail("the dashboard does not show the article in review")
    audit(driver, "dashboard")
    fits(driver, "dashboard")

    # The reviewer's start page: what needs her, by title; remembered by the browser.
    driver.get(url + "/?reviewer=ada-lovelace")
    mine = driver.find_element(By.TAG_NAME, "main").text
    if "What needs your review, Dr Ada Test" not in mine or "Iron deficiency" not in mine:
        fail(f"the reviewer's start page does not list what needs her: {mine[:300]!r}")
    audit(driver, "start page")
    fits(driver, "start page")
    shot(driver, "serve-start.png")
    driver.get(url + "/")
    try:
        WebDriverWait(driver, 10).until(lambda d: "reviewer=ada-lovelace" in d.current_url)
    except Exception:
        fail(f"the dashboard does not remember the reviewer: {driver.current_url}")
    driver.get(url + "/?reviewer=")

    # The medical reviewer's queue leads to the article.
    driver.get(url + "/queue?reviewer=ada-lovelace")
    audit(driver, "queue")
    fits(driver, "queue")
    if "Dr Ada Test" not in driver.find_element(By.TAG_NAME, "main").text:
        fail("the queue does not name the reviewer")
    link = driver.find_element(By.LINK_TEXT, "Iron deficiency")
    link.click()
    WebDriverWait(driver, 10).until(lambda d: "/articles/iron-deficiency" in d.current_url)
    audit(driver, "article")
    fits(driver, "article")
    # The revision the form signs, as readers would see it, in its sandboxed frame (CSP
    # frame-src 'self'): the edited text, not the approved one (issue 33).
    frame = driver.find_element(By.CSS_SELECTOR, "iframe.preview")
    blob = driver.find_element(By.ID, "sign-form").get_attribute("data-blob")
    if not frame.get_attribute("src").endswith("?revision=" + blob):
        fail(f"the frame shows {frame.get_attribute('src')!r}, not the revision the form signs ({blob})")
    driver.switch_to.frame(frame)
    framed = driver.find_element(By.TAG_NAME, "body").text
    driver.switch_to.default_content()
    if "Iron deficiency" not in framed or "Medical disclaimer" not in framed or "short of breath" not in framed:
        fail(f"the desk's frame does not show the revision it signs: {framed[:300]!r}")
    # The changes since the last full approval are beside it.
    if not any("short" in e.text for e in driver.find_elements(By.CSS_SELECTOR, "pre.diff ins")):
        fail("the desk does not show the changes since the last approval beside the text")

    # The diff since the last approval shows the added words.
    driver.find_element(By.LINK_TEXT, "The changes on a page of their own").click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/diff"))
    added = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "pre.diff ins")]
    if not any("short" in text for text in added):
        fail(f"the diff does not mark the added words: {added}")
    audit(driver, "diff")
    fits(driver, "diff")
    shot(driver, "serve-diff.png")
    # The diff page signs the same revision.
    forms = driver.find_elements(By.ID, "sign-form")
    if not forms or forms[0].get_attribute("data-blob") != blob:
        fail("the diff page has no sign form for the revision it shows")
    driver.back()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "sign-form"))

    # A page loaded before a new commit (here: its revision made an older one) signs nothing
    # and says why.
    before = commits()
    driver.execute_script("document.getElementById('sign-form').dataset.blob = arguments[0]", "0" * 40)
    answer = sign(driver, "ada-lovelace", "medical", os.path.join(keys, "ada-lovelace.export.json"), "correct horse battery staple")
    if not answer.startswith("Not recorded") or "is now at revision" not in answer or "Reload the article" not in answer:
        fail(f"a page older than the article signed, or did not say why not: {answer!r}")
    if commits() != before:
        fail("a stale page wrote a commit")
    driver.refresh()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "sign-form"))

    # Another reviewer's key: refused, nothing written.
    before = commits()
    answer = sign(driver, "ada-lovelace", "medical", os.path.join(keys, "grace-hopper.key"))
    if not answer.startswith("Not recorded") or "does not verify" not in answer:
        fail(f"a record signed with another reviewer's key was not refused: {answer!r}")
    if commits() != before:
        fail("a refused record wrote a commit")

    # Her key export with a wrong passphrase: refused in the page, nothing sent.
    export = os.path.join(keys, "ada-lovelace.export.json")
    answer = sign(driver, "ada-lovelace", "medical", export, "wrong passphrase here")
    if "passphrase does not open" not in answer:
        fail(f"a wrong passphrase was not refused: {answer!r}")
    if commits() != before:
        fail("a refused passphrase wrote a commit")

    # Her key export with its passphrase, and a public change note: the page shows the exact
    # bytes it signs (the note after the comment, as 'review approve --change-note' signs it);
    # recorded, the article approved.
    form = driver.find_element(By.ID, "sign-form")
    form.find_element(By.NAME, "change-note").clear()
    form.find_element(By.NAME, "change-note").send_keys(CHANGE_NOTE)
    shown = driver.find_element(By.ID, "sign-preview").text
    if f"change-note {len(CHANGE_NOTE)}\n{CHANGE_NOTE}" not in shown or "decision 7\napprove" not in shown:
        fail(f"the page does not show the change note in what it signs: {shown!r}")
    answer = sign(driver, "ada-lovelace", "medical", export, "correct horse battery staple", change_note=CHANGE_NOTE)
    if not answer.startswith("Recorded") or "approved" not in answer:
        fail(f"the approval signed in the page was not recorded: {answer!r}")
    shot(driver, "serve-article.png")

    # The dashboard and its JSON twin follow the new commit.
    deadline = time.time() + 10
    state = None
    while time.time() < deadline:
        with urllib.request.urlopen(url + "/api/articles/iron-deficiency") as response:
            state = json.load(response)["article"]["state"]
        if state == "approved":
            break
        time.sleep(0.2)
    if state != "approved":
        fail(f"the dashboard's JSON still says {state}")
    driver.get(url + "/")
    if "1 approved" not in driver.find_element(By.TAG_NAME, "main").text:
        fail("the dashboard does not show the article approved")
    shot(driver, "serve-dashboard.png")

    # Publish (as the publisher would, on the command line): the page shows the note readers see.
    subprocess.run([review, "publish", "--site", os.path.join(work, "site-approved")], cwd=repo, check=True,
                   stdout=subprocess.DEVNULL)
    driver.get("file://" + os.path.join(work, "site-approved", "iron-deficiency.html"))
    page = driver.find_element(By.TAG_NAME, "body").text
    if "What changed" not in page or CHANGE_NOTE not in page:
        fail(f"the published page does not show the change note signed in the dashboard: {page[:500]!r}")

    # A retraction signed in the page, of the revision readers see (now the published one).
    published = subprocess.check_output(["git", "-C", repo, "rev-parse", "refs/heads/published:Articles/iron-deficiency.md"], text=True).strip()
    deadline = time.time() + 10
    while time.time() < deadline:
        with urllib.request.urlopen(url + "/api/articles/iron-deficiency") as response:
            if json.load(response).get("publishedRevision") == published:
                break
        time.sleep(0.2)
    driver.get(url + "/articles/iron-deficiency")
    form = driver.find_element(By.ID, "retract-form")
    if form.get_attribute("data-blob") != published:
        fail(f"the retraction form signs {form.get_attribute('data-blob')!r}, not the published revision {published}")
    if published[:7] not in driver.find_element(By.ID, "retract").text:
        fail("the retraction form does not name the revision it retracts")
    Select(form.find_element(By.NAME, "reviewer")).select_by_value("ada-lovelace")
    Select(form.find_element(By.NAME, "role")).select_by_value("medical")
    form.find_element(By.NAME, "reason").send_keys(REASON)
    form.find_element(By.NAME, "comment").send_keys("Pharmacy flagged the dose.")
    shown = driver.find_element(By.ID, "retract-preview").text
    if f"decision 7\nretract" not in shown or f"reason {len(REASON)}\n{REASON}" not in shown or f"blob 40\n{published}" not in shown:
        fail(f"the page does not show the retraction it signs: {shown!r}")
    audit(driver, "article with the retraction form filled in")
    fits(driver, "article with the retraction form filled in")
    form.find_element(By.NAME, "key").send_keys(export)
    form.find_element(By.NAME, "passphrase").send_keys("correct horse battery staple")
    result = driver.find_element(By.ID, "retract-result")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 20).until(lambda d: result.text.strip() != "")
    if not result.text.startswith("Recorded") or "retracted" not in result.text:
        fail(f"the retraction signed in the page was not recorded: {result.text!r}")
    shot(driver, "serve-retract.png")
    for page in ("/articles", "/log", "/verify", "/articles/iron-deficiency"):
        driver.get(url + page)
        audit(driver, page)
        fits(driver, page)
finally:
    driver.quit()

if failures:
    sys.exit(1)
print("check-serve.py: scroll width / viewport: " + ", ".join(widths))
print(f"check-serve.py: ok (signed in the page; {len(failures)} failures)")
