"""The headless Chromium the browser checks drive (Scripts/check/check-pages.py, check-serve.py,
check-lifecycle.py, check-sample-site.py): Debian's chromium and chromedriver, a profile of its own
beside the files under test; and the accessibility check they share."""
import sys

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def chromium(profile):
    """A new headless Chromium whose user data lives in `profile`."""
    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--user-data-dir={profile}"):
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def serious_violations(driver):
    """axe-core's serious and critical violations on the page `driver` shows, as one line each."""
    axe = Axe(driver)
    axe.inject()
    return [f"axe {v['impact']}: {v['id']}: {v['help']}" for v in axe.run()["violations"] if v["impact"] in ("serious", "critical")]


def sideways_scroll(driver, name):
    """At a phone's width (390 px) and a laptop's (1280 px): one line per width saying how wide the
    document is in its viewport, and the problem when it is wider (it scrolls sideways)."""
    out = []
    for width in (390, 1280):
        driver.set_window_size(width, 900)
        scroll, viewport = driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        problem = f"{name}: {scroll} px wide in a {viewport} px viewport at {width} px: it scrolls sideways" if scroll > viewport else None
        out.append((f"{name}@{width}: {scroll}/{viewport}", problem))
    return out


def page_text(driver, site, page):
    """The text a reader sees on `page` of the rendered `site` (a folder), whitespace collapsed."""
    driver.set_window_size(1000, 1400)
    driver.get(f"file://{site}/{page}")
    return " ".join(driver.find_element(By.TAG_NAME, "body").text.split())

def exit_on_failures(name, failures):
    """Prints each failure as `name: message` on stderr and exits 1 when there is any."""
    if failures:
        for message in failures:
            print(f"{name}: {message}", file=sys.stderr)
        sys.exit(1)
