"""The headless Chromium both browser checks drive (Scripts/check/check-pages.py, Scripts/check/check-serve.py):
Debian's chromium and chromedriver, a profile of its own beside the files under test."""
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
