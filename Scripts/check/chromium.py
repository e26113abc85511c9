"""The headless Chromium the browser checks drive (Scripts/check/check-pages.py, check-serve.py,
check-lifecycle.py, check-sample-site.py): Debian's chromium and chromedriver, a profile of its own
beside the files under test; and the accessibility check they share."""
from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service


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
