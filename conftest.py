"""What every pytest run of the suite shares (``./dev test`` and plain ``pytest``).

One Chromium for the whole run. Odoo's ``HttpCase.browser_js`` starts a new Chromium
with an empty profile for each test and closes it afterwards: each test then pays
the browser's start and downloads and compiles the web client again. Here the first
browser test starts Chromium; each ``browser_js`` gets a new tab in it, and when the
test ends the tab is closed and the cookies, local storage, IndexedDB, service
workers and cache storage of the test server's origin are cleared, so no test sees
another's session or stored state. What stays is Chromium's HTTP cache, which holds
the asset bundles (their URLs carry their content's hash: a cached bundle is the
one the server would send) and their compiled code. Measured on the committee's
screens and the accessibility checks (22 tests): Chromium's CPU time went from 63 s
to 34 s.

A browser with a window (``watch=True``), debugging or touch events still gets its
own Chromium, as in Odoo.

The registry's caches are cleared after each test and each class the way Odoo
clears them when a transaction is rolled back in production
(``Registry.reset_changes``): only those invalidated since the test (the class)
began. Odoo's tests clear every ``ormcache`` instead, so each test compiled again
the website's layout, the portal's pages and the mail templates it rendered, built
the routing map again, and read the access rules and the calendar's working days
again: half the time of the HTTP tests of the forms, the portal and the outcomes
(59 tests: 46 s before, 22 s after), a quarter of the addon's tests (352 tests:
111 s of CPU before, 85 s after). An invalidation is noted whichever thread makes
it (``Registry.clear_cache``, the HTTP requests' included); translations loaded
into the database (written with SQL) and models set up again count as changing
everything; and what templates cache of the data they render
(``templates.cached_values``) is always cleared.
"""

import contextlib
import itertools
import json
import shutil
import signal
import subprocess
import tempfile
import threading
from concurrent.futures import wait

import requests
import websocket

# What a test leaves in the browser for its origin, cleared after it (the HTTP cache
# is not among them; sessionStorage goes with the tab).
STORED_STATE = "local_storage,indexeddb,service_workers,cache_storage,file_systems"


class SharedChromium:
    """The run's Chromium, and the browser-level DevTools connection that opens and
    closes the tests' tabs."""

    def __init__(self, chrome_start):
        self.chrome_start = chrome_start
        self.user_data_dir = None
        self.proc = None
        self.port = None
        self.ws = None
        self.ids = itertools.count(1)
        self.lock = threading.Lock()

    def start(self, browser):
        """(process, DevTools port), starting Chromium if it is not running."""
        if self.proc is None or self.proc.poll() is not None:
            self.stop()
            self.user_data_dir = tempfile.mkdtemp(suffix="_chrome_odoo_shared")
            own_dir, browser.user_data_dir = browser.user_data_dir, self.user_data_dir
            try:
                self.proc, self.port = self.chrome_start(
                    browser, user_data_dir=self.user_data_dir, touch_enabled=False
                )
            finally:
                browser.user_data_dir = own_dir
            version = requests.get(f"http://127.0.0.1:{self.port}/json/version", timeout=10)
            self.ws = websocket.create_connection(
                version.json()["webSocketDebuggerUrl"], suppress_origin=True, timeout=30
            )
        return self.proc, self.port

    def call(self, method, **params):
        with self.lock:
            call_id = next(self.ids)
            self.ws.send(json.dumps({"id": call_id, "method": method, "params": params}))
            while True:
                message = json.loads(self.ws.recv())
                if message.get("id") == call_id:
                    if "error" in message:
                        raise RuntimeError(f"{method}: {message['error']}")
                    return message["result"]

    def new_tab(self):
        """The target id of a new blank tab."""
        return self.call("Target.createTarget", url="about:blank")["targetId"]

    def close_tab(self, target):
        if self.ws and self.proc and self.proc.poll() is None:
            self.call("Target.closeTarget", targetId=target)

    def stop(self):
        if self.ws:
            self.ws.close()
            self.ws = None
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:  # still alive: kill it
                self.proc.kill()
            self.proc = None
        if self.user_data_dir:
            shutil.rmtree(self.user_data_dir, ignore_errors=True)
            self.user_data_dir = None


def clear_stored_state(browser):
    """Forget the test's cookies and what its pages stored for the test server."""
    browser._websocket_request("Network.clearBrowserCookies")
    origin = browser.test_case.base_url()
    params = {"origin": origin, "storageTypes": STORED_STATE}
    browser._websocket_request("Storage.clearDataForOrigin", params=params)


def share_one_chromium(config):
    from odoo.tests.common import HOST, ChromeBrowser  # Odoo is set up by now

    chrome_start = ChromeBrowser._chrome_start
    open_websocket = ChromeBrowser._open_websocket
    stop = ChromeBrowser.stop
    shared = SharedChromium(chrome_start)
    config.add_cleanup(shared.stop)

    def _chrome_start(browser, user_data_dir, touch_enabled, headless=True, debug=False):
        browser.tab = None
        browser.in_shared_chromium = not touch_enabled and headless and debug is False
        if not browser.in_shared_chromium:
            return chrome_start(browser, user_data_dir, touch_enabled, headless, debug)
        return shared.start(browser)

    def _open_websocket(browser):
        if not browser.in_shared_chromium:
            return open_websocket(browser)
        browser.tab = shared.new_tab()
        url = f"ws://{HOST}:{browser.devtools_port}/devtools/page/{browser.tab}"
        ws = websocket.create_connection(url, enable_multithread=True, suppress_origin=True)
        ws.settimeout(0.01)
        return ws

    def close_tab(browser):
        """Odoo's ``ChromeBrowser.stop``, closing the test's tab instead of the browser."""
        if not getattr(browser, "in_shared_chromium", False):
            return stop(browser)
        if hasattr(browser, "ws"):
            try:
                browser.screencaster.stop()
                browser._websocket_request("Page.stopLoading")
                wait(browser._responses.values(), 10)  # the screenshot, if one was asked
                clear_stored_state(browser)
                browser._result.cancel()
            except Exception:  # the page may be gone: start afresh
                browser._logger.warning("Restarting Chromium: a tab did not close", exc_info=True)
                browser.tab = None
                shared.stop()
            browser.ws.close()
        if browser.tab:
            shared.close_tab(browser.tab)
        shutil.rmtree(browser.user_data_dir, ignore_errors=True)
        if browser.sigxcpu_handler:
            signal.signal(signal.SIGXCPU, browser.sigxcpu_handler)

    ChromeBrowser._chrome_start = _chrome_start
    ChromeBrowser._open_websocket = _open_websocket
    ChromeBrowser.stop = close_tab


# The caches a test or a class may leave to the next one when it did not invalidate
# them (every one but ``templates.cached_values``).
KEPT_BETWEEN_TESTS = {
    *("default", "stable", "groups", "assets", "templates", "routing", "routing.rewrites")
}


class KeptCaches:
    """Clears, at the end of a test or a class, only the caches that need it."""

    def __init__(self, registry_module):
        self.caches_by_key = registry_module._CACHES_BY_KEY
        # caches invalidated (in any thread) since the last test ended, and since the
        # last class ended (what a class's set-up changed is rolled back with it)
        self.changed = {"test": set(), "class": set()}
        self.cleaning = threading.local()

    def note(self, caches):
        self.changed["test"].update(caches)
        self.changed["class"].update(caches)

    def note_keys(self, cache_names):
        for name in cache_names or ("default",):
            self.note(self.caches_by_key[name])

    def scope(self):
        """ "test" or "class" while their cleanups run, else None."""
        return getattr(self.cleaning, "scope", None)

    def clear(self, registry, caches):
        """Clear all but the kept caches that nothing changed since the scope began."""
        scope = self.scope()
        keep = KEPT_BETWEEN_TESTS - self.changed[scope]
        self.changed["test"].clear()
        if scope == "class":
            self.changed["class"].clear()
        for name, cache in caches.items():
            if name not in keep:
                cache.clear()
        registry.cache_invalidated.update(self.caches_by_key)

    @contextlib.contextmanager
    def cleaning_up(self, scope):
        self.cleaning.scope = scope
        try:
            yield
        finally:
            self.cleaning.scope = None


def keep_compiled_templates_between_tests():
    from odoo.orm import registry  # Odoo is set up by now
    from odoo.tests import case
    from odoo.tools.translate import TranslationImporter

    Registry = registry.Registry
    kept = KeptCaches(registry)
    clear_cache = Registry.clear_cache
    clear_all_caches = Registry.clear_all_caches
    save_translations = TranslationImporter.save
    setup_models = Registry._setup_models__
    do_cleanups = case.TestCase.doCleanups
    run_class_cleanups = case.TestCase.doClassCleanups.__func__

    def note_and_clear_cache(self, *cache_names):
        kept.note_keys(cache_names)
        return clear_cache(self, *cache_names)

    def clear_all_but_kept_caches(self):
        if kept.scope() is None:  # not a test's or a class's cleanup: Odoo's way
            return clear_all_caches(self)
        return kept.clear(self, self._Registry__caches)

    def save_translations_and_forget_templates(self, *args, **kwargs):
        kept.note(KEPT_BETWEEN_TESTS)  # written with SQL: what was compiled is stale
        return save_translations(self, *args, **kwargs)

    def setup_models_and_forget_templates(self, *args, **kwargs):
        kept.note(KEPT_BETWEEN_TESTS)
        return setup_models(self, *args, **kwargs)

    def do_test_cleanups(self):
        with kept.cleaning_up("test"):
            return do_cleanups(self)

    @classmethod
    def do_class_cleanups(cls):
        with kept.cleaning_up("class"):
            return run_class_cleanups(cls)

    Registry.clear_cache = note_and_clear_cache
    Registry.clear_all_caches = clear_all_but_kept_caches
    Registry._setup_models__ = setup_models_and_forget_templates
    TranslationImporter.save = save_translations_and_forget_templates
    case.TestCase.doCleanups = do_test_cleanups
    case.TestCase.doClassCleanups = do_class_cleanups


def pytest_configure(config):
    share_one_chromium(config)
    keep_compiled_templates_between_tests()
