#!/usr/bin/env python3
"""Opens a rendered site in headless Chromium (selenium + chromedriver) and checks it as a
reader sees it: the sample PML page's reviewed-by line, dates and disclaimer; dates that never
wrap, even on a narrow phone screen; links between articles that resolve; and an axe-core
accessibility audit with no serious or critical violation on any page.

Usage: Scripts/check/check-pages.py SITE_DIR [SCREENSHOT.png]
"""
import os
import sys
from urllib.parse import urlparse, unquote

from selenium.webdriver.common.by import By

from chromium import chromium, serious_violations, sideways_scroll, exit_on_failures

site = os.path.abspath(sys.argv[1])
screenshot = sys.argv[2] if len(sys.argv) > 2 else None
failures = []


def fail(message):
    failures.append(message)


driver = chromium(site + ".chrome")
try:
    pages = sorted(name for name in os.listdir(site) if name.endswith(".html"))
    serious = 0
    widths = []
    for name in pages:
        driver.set_window_size(1000, 1400)
        driver.get(f"file://{site}/{name}")
        # Links to other pages of the site resolve to files that exist.
        for link in driver.find_elements(By.CSS_SELECTOR, "a[href]"):
            url = urlparse(link.get_attribute("href"))
            if url.scheme == "file" and not os.path.exists(unquote(url.path)):
                fail(f"{name}: the link '{link.text}' leads to a missing page ({unquote(url.path)})")
        # axe-core: no serious or critical violation.
        for violation in serious_violations(driver):
            serious += 1
            fail(f"{name}: {violation}")
        # No horizontal scroll on a phone (390 px) or a laptop (1280 px): the document is no
        # wider than the viewport.
        for line, problem in sideways_scroll(driver, name):
            widths.append(line)
            if problem:
                fail(problem)
        # On a narrow screen, no date breaks across lines.
        driver.set_window_size(360, 800)
        for element in driver.find_elements(By.TAG_NAME, "time"):
            if driver.execute_script("return arguments[0].getClientRects().length", element) > 1:
                fail(f"{name}: the date {element.text} wraps onto two lines at 360 px")

    page = "progressive-multifocal-leukoencephalopathy.html"
    driver.set_window_size(1000, 1400)
    driver.get(f"file://{site}/{page}")
    text = " ".join(driver.find_element(By.TAG_NAME, "body").text.split())
    for expected in ("Medically reviewed by Dr Amara Okafor, MD, consultant neurologist on 9 April 2026",
                     "Edited by Lucia Moreau, MSc, medical editor on 10 April 2026",
                     "Last updated 7 April 2026", "Next review due 9 April 2027"):
        if expected not in text:
            fail(f"{page}: not visible: {expected}")
    regions = driver.find_elements(By.CSS_SELECTOR, "aside.disclaimer[aria-label]")
    if not regions or "not medical advice" not in regions[0].text:
        fail(f"{page}: the disclaimer is not in its own labelled region")
    if screenshot:
        # The page as a laptop (1280 px) and a phone (390 px) show it: SHOT-1280.png, SHOT-390.png.
        stem = screenshot[:-4] if screenshot.endswith(".png") else screenshot
        for width, height in ((1280, 1100), (390, 1500)):
            driver.set_window_size(width, height)
            driver.save_screenshot(f"{stem}-{width}.png")
    print(f"check-pages: {len(pages)} pages in Chromium: links resolve, dates do not wrap, no sideways scroll at 390 and 1280 px, "
          f"axe: {serious} serious or critical")
    print("check-pages: scroll width / viewport: " + ", ".join(widths))
finally:
    driver.quit()

exit_on_failures("check-pages", failures)
