#!/usr/bin/env python3
"""Drives `review serve` in headless Chromium (selenium + chromedriver), as a medical reviewer
would: queue, article, diff, signing an approval in the page with the key file, the new state
in the dashboard. Also: a key file of another reviewer is refused in the page. axe-core audits
every page (no serious or critical violation).

Usage: Scripts/check-serve.py URL KEY_DIR REPO [SCREENSHOT_DIR]
"""
import json
import os
import subprocess
import sys
import time
import urllib.request

from axe_selenium_python import Axe
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from chromium import chromium

url, keys, repo = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
shots = sys.argv[4] if len(sys.argv) > 4 else None
failures = []


def fail(message):
    failures.append(message)
    print("check-serve.py: " + message, file=sys.stderr)


def audit(driver, name):
    axe = Axe(driver)
    axe.inject()
    for violation in axe.run()["violations"]:
        if violation["impact"] in ("serious", "critical"):
            fail(f"{name}: axe {violation['impact']}: {violation['id']}: {violation['help']}")


def shot(driver, name):
    if shots:
        os.makedirs(shots, exist_ok=True)
        driver.save_screenshot(os.path.join(shots, name))


def commits():
    return int(subprocess.check_output(["git", "-C", repo, "rev-list", "--count", "HEAD"]).strip())


def sign(driver, reviewer, role, key_file, passphrase=""):
    form = driver.find_element(By.ID, "sign-form")
    Select(form.find_element(By.NAME, "reviewer")).select_by_value(reviewer)
    Select(form.find_element(By.NAME, "role")).select_by_value(role)
    form.find_element(By.CSS_SELECTOR, "input[value=approve]").click()
    form.find_element(By.NAME, "comment").clear()
    form.find_element(By.NAME, "comment").send_keys("Checked the new symptom against current guidance.")
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

    # The medical reviewer's queue leads to the article.
    driver.get(url + "/queue?reviewer=ada-lovelace")
    audit(driver, "queue")
    link = driver.find_element(By.LINK_TEXT, "Iron deficiency")
    link.click()
    WebDriverWait(driver, 10).until(lambda d: "/articles/iron-deficiency" in d.current_url)
    audit(driver, "article")
    # The page as it will be published, in its sandboxed frame (CSP frame-src 'self').
    driver.switch_to.frame(driver.find_element(By.CSS_SELECTOR, "iframe.preview"))
    framed = driver.find_element(By.TAG_NAME, "body").text
    driver.switch_to.default_content()
    if "Iron deficiency" not in framed or "Medical disclaimer" not in framed:
        fail(f"the published page's preview does not show the article: {framed[:200]!r}")

    # The diff since the last approval shows the added words.
    driver.find_element(By.LINK_TEXT, "Changes since the last approval").click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/diff"))
    added = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "pre.diff ins")]
    if not any("short" in text for text in added):
        fail(f"the diff does not mark the added words: {added}")
    audit(driver, "diff")
    shot(driver, "serve-diff.png")
    driver.back()
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

    # Her key export with its passphrase: recorded, the article approved.
    answer = sign(driver, "ada-lovelace", "medical", export, "correct horse battery staple")
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
    for page in ("/articles", "/log", "/verify", "/articles/iron-deficiency"):
        driver.get(url + page)
        audit(driver, page)
finally:
    driver.quit()

if failures:
    sys.exit(1)
print(f"check-serve.py: ok (signed in the page; {len(failures)} failures)")
