"""The page for people: a real ``pvp-kg serve`` process on 127.0.0.1, driven by Debian's
headless Chromium through Playwright (never a downloaded browser), plus its HTTP contract
(errors, SPARQL pass-through, concurrency) checked over plain HTTP.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from rdflib import URIRef

from pvp_kg.server import free_port

from .helpers import IN_CI, require_tool

pytestmark = pytest.mark.server

HEADLINE = "Which complications relate to cement leakage?"
WEB = Path(__file__).resolve().parent.parent / "pvp_kg" / "web"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]


def start_page(*extra: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "pvp_kg", "serve", "--port", str(port),
                                *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited: {process.stderr.read().decode()}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as r:
                if r.status == 200:
                    return process, base
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("the page did not come up within 120 s")


def stop_page(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


@pytest.fixture(scope="module")
def page_url():
    require_tool("dot")
    from pvp_kg import web

    if not web.available():  # without the extra, serve has no page: fail in CI, else skip
        if IN_CI:
            pytest.fail(f"the web extra is required in CI (missing {web.missing()})")
        pytest.skip(f"the web extra is not installed (missing {web.missing()})")
    process, base = start_page()
    yield base
    stop_page(process)
    assert process.returncode == 0  # SIGTERM is the normal way to stop it


def get(url: str, accept: str = "text/html") -> tuple[int, str, dict[str, str]]:
    req = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read().decode(), dict(r.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), dict(exc.headers)


def sparql(url: str, query: str, *, update: bool = False) -> tuple[int, str]:
    req = urllib.request.Request(url, data=query.encode(), method="POST", headers={
        "Content-Type": "application/sparql-update" if update else "application/sparql-query",
        "Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


# -- the browser -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium = require_tool("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if IN_CI:
            pytest.fail("playwright (the test extra) is required in CI")
        pytest.skip("playwright is not installed")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=chromium,
            headless=True, args=CHROMIUM_FLAGS)
        yield context
        context.close()


class Watch:
    """Every request, console message, page error and failed response of one tab."""

    def __init__(self, page) -> None:
        self.requests: list[str] = []
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self.bad: list[tuple[int, str]] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.console.append((m.type, m.text)))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("response", lambda r: r.status >= 400 and self.bad.append((r.status, r.url)))

    def check_clean(self) -> None:
        hosts = {urllib.parse.urlsplit(u).hostname for u in self.requests
                 if not u.startswith(("data:", "about:"))}
        assert hosts == {"127.0.0.1"}, f"requests went to {hosts}"
        assert not [c for c in self.console if c[0] in ("error", "warning")], self.console
        assert not self.errors and not self.bad, (self.errors, self.bad)


@pytest.fixture()
def tab(browser):
    page = browser.new_page()
    watch = Watch(page)
    yield page, watch
    page.close()


def test_headline_question_answer_drawing_and_concept_page(page_url, tab):
    page, watch = tab
    page.goto(page_url + "/")
    first_input = page.locator("input[type=search], input[type=text], textarea").first
    assert first_input.get_attribute("name") == "q"  # the question box is the first text box
    first_input.fill(HEADLINE)
    first_input.press("Enter")
    page.wait_for_url("**/ask?q=*")
    answer = page.locator("#answer")
    assert "Complications related to cement leakage" in answer.locator(".summary").inner_text()
    items = page.locator("li.item")
    assert items.count() >= 10
    names = items.locator("h2 a.concept").all_inner_texts()
    assert "venous cement leakage" in names and "pulmonary cement embolism" in names
    # each item with a path has its drawing: nodes, labelled edges, hover text with levels
    item = items.filter(has=page.locator("a.concept", has_text="pulmonary cement embolism")).first
    figure = item.locator(".figure svg")
    assert figure.count() == 1 and figure.locator("g.node").count() >= 2
    svg_text = figure.evaluate("e => e.textContent")
    assert "causally upstream of" in svg_text
    hover = figure.evaluate(
        "e => Array.from(e.querySelectorAll('a')).map(a => a.getAttribute('xlink:title')"
        " || a.getAttribute('title') || '').join(' | ')")
    assert "src:" in hover and ("observational study" in hover or "narrative review" in hover)
    # the steps beside the drawing, with their sources as DOI links and evidence levels
    assert item.locator("ol.hops ul.evidence a.doi[href^='https://doi.org/']").count() >= 1
    assert item.locator(".level").count() >= 1
    sources = page.locator("ul.sources li")
    assert sources.count() >= 3
    assert page.locator("ul.sources a.doi[href^='https://doi.org/']").count() >= 2
    # the whole reasoning, drawn
    assert page.locator("details.overview .figure svg g.edge").count() >= 10
    # follow an item to its concept page
    item.locator("h2 a.concept").click()
    page.wait_for_url("**/concept/*")
    assert page.locator("h1").inner_text() == "pulmonary cement embolism"
    assert page.locator("p.definition").count() == 1
    assert page.locator("h2", has_text="Neighbourhood").count() == 1
    assert page.locator(".figure svg g.node").count() >= 2
    assert page.locator("table.edges").count() >= 1
    watch.check_clean()


def test_concept_page_codes_findings_ordered_by_evidence(page_url, tab, kg):
    page, watch = tab
    page.goto(page_url + "/concept/pvp:CementLeakage")
    facts = page.locator("dl.facts").inner_text()
    assert "synonyms" in facts or "abbreviations" in facts
    rows = page.locator("table.findings tbody tr")
    assert rows.count() >= 2
    # findings are ordered by the best pvp:evidenceRank behind them, strongest first, and
    # each finding's sources are listed strongest first (ranks read from the graph here)
    rank_of = {kg.terms.label(str(level)): int(rank) for level, rank in
               kg.graph.subject_objects(URIRef("https://w3id.org/pvp-kg/evidenceRank"))}
    best = []
    for i in range(rows.count()):
        levels = [rank_of[t] for t in rows.nth(i).locator(".level").all_inner_texts()]
        assert levels and levels == sorted(levels)
        best.append(levels[0])
    assert best == sorted(best)
    assert len(set(best)) > 1  # the order is not trivially true
    # codes appear when the concept has any
    if kg.concept("cement leakage").xrefs:
        assert "codes" in facts
    # the neighbourhood links to other concept pages
    hrefs = page.locator(".figure svg g.node a").evaluate_all(
        "els => els.map(a => a.getAttribute('xlink:href') || a.getAttribute('href'))")
    linked = [h for h in hrefs if h is not None]  # the key is the one node with no link
    assert len(linked) >= 5 and all(h.startswith("/concept/") for h in linked)
    watch.check_clean()


def test_source_page_search_and_sparql_editor(page_url, tab):
    page, watch = tab
    page.goto(page_url + "/source/src:S2")
    assert page.locator("a.doi[href^='https://doi.org/']").count() >= 1
    assert page.locator("table.edges tbody tr").count() >= 1
    # search, with a typo
    page.goto(page_url + "/search")
    page.locator("#s").fill("cemnt leakge")
    page.locator("#s").press("Enter")
    page.wait_for_url("**/search?q=*")
    assert page.locator("ol.matches li a").first.inner_text() == "cement leakage"
    # the SPARQL editor is one click away, and runs against /query
    page.locator("nav a", has_text="SPARQL").click()
    page.wait_for_url("**/sparql")
    page.locator("#run").click()
    # a locator wait, not wait_for_function: that evals a string, which the page's CSP refuses
    page.locator("#sparql-results tr").nth(3).wait_for(timeout=60_000)
    assert "rows" in page.locator("#sparql-status").inner_text()
    page.locator("#examples").select_option("risk_factors")
    assert "hasRiskFactor" in page.locator("#sparql-text").input_value()
    watch.check_clean()


def test_readable_at_phone_width(page_url, browser):
    page = browser.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    watch = Watch(page)
    page.goto(page_url + "/ask?q=" + urllib.parse.quote(HEADLINE))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px screen"
    box = page.locator("#q").bounding_box()
    assert box and box["width"] > 200
    font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.summary'))"
                         ".fontSize)")
    assert font >= 14
    watch.check_clean()
    page.close()


def test_error_page_in_the_browser(page_url, tab):
    page, _ = tab
    response = page.goto(page_url + "/concept/cemnt%20leakag")
    assert response.status == 404
    assert "no concept named" in page.locator(".error-message").inner_text()
    assert page.locator("main a", has_text="cement leakage").count() >= 1  # suggestions


# -- HTTP contract ------------------------------------------------------------------------------

def test_errors_are_pages_or_json_never_tracebacks(page_url):
    status, body, headers = get(page_url + "/nowhere")
    assert status == 404 and "there is no page at /nowhere" in body
    status, body, _ = get(page_url + "/ask?q=" + "x" * 2000)
    assert status == 400 and "too long" in body and "Traceback" not in body
    status, body, _ = get(page_url + "/api/ask")
    assert status == 400 and json.loads(body)["error"]
    status, body, _ = get(page_url + "/api/concept/nothing-like-this-zz", "application/json")
    assert status == 404 and "no concept named" in json.loads(body)["error"]
    status, body, _ = get(page_url + "/source/src:NOPE")
    assert status == 404 and "no source" in body
    status, body, _ = get(page_url + "/draw/ask.gif?q=x")
    assert status == 404
    status, _, headers = get(page_url + "/")
    csp = {k.lower(): v for k, v in headers.items()}["content-security-policy"]
    assert "default-src 'self'" in csp


def test_server_error_is_a_clear_page(fresh_kg):
    """A failure inside the library gives a 500 page that says so, without a traceback."""
    import threading

    import uvicorn

    from pvp_kg.web.app import create_app
    from pvp_kg.web.run import bind

    def broken(question: str):
        raise RuntimeError("secret internal detail")

    fresh_kg.ask = broken  # type: ignore[method-assign]
    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(create_app(fresh_kg), log_level="critical"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        status, body, _ = get(base + "/ask?q=anything")
        assert status == 500
        assert "something went wrong on the server" in body
        assert "secret internal detail" not in body and "Traceback" not in body
        status, body, _ = get(base + "/api/ask?q=anything")
        assert status == 500 and json.loads(body)["status"] == 500
        status, body, _ = get(base + "/query", "application/json")
        assert status == 503 and "without a SPARQL server" in json.loads(body)["error"]
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def test_answer_json_is_the_library_answer(page_url, kg):
    status, body, _ = get(page_url + "/api/ask?q=" + urllib.parse.quote(HEADLINE))
    assert status == 200
    assert json.loads(body) == json.loads(json.dumps(kg.ask(HEADLINE).to_dict(), default=str))


def test_sparql_endpoint_at_query_is_read_only(page_url, kg):
    status, body = sparql(page_url + "/query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert status == 200
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == len(kg.graph)
    q = urllib.parse.quote("ASK { ?s ?p ?o }")
    status, body, _ = get(f"{page_url}/query?query={q}", "application/sparql-results+json")
    assert status == 200 and json.loads(body)["boolean"] is True
    status, body = sparql(page_url + "/update", "DROP ALL", update=True)
    assert status == 403 and "read-only" in json.loads(body)["error"]
    status, body = sparql(page_url + "/query", "SELEKT nonsense")
    assert status == 400 and json.loads(body)["error"]


def test_writable_serve_accepts_updates():
    require_tool("dot")
    process, base = start_page("--writable")
    try:
        status, _ = sparql(base + "/update",
                           "INSERT DATA { <urn:x> <urn:p> 'added' }", update=True)
        assert status in (200, 204)
        status, body = sparql(base + "/query", "ASK { <urn:x> <urn:p> 'added' }")
        assert json.loads(body)["boolean"] is True
    finally:
        stop_page(process)


def test_concurrent_users(page_url):
    urls = [page_url + "/ask?q=" + urllib.parse.quote(q) for q in (
        HEADLINE, "What are the risk factors for cement leakage?", "What is vertebroplasty?")]
    urls += [page_url + "/concept/pvp:CementLeakage", page_url + "/search?q=embolsm",
             page_url + "/api/ask?q=" + urllib.parse.quote(HEADLINE)]
    with ThreadPoolExecutor(12) as pool:
        results = list(pool.map(lambda u: get(u)[:2], urls * 4))
    assert all(status == 200 for status, _ in results), [s for s, _ in results]
    by_url: dict[str, set[str]] = {}
    for url, (_, body) in zip(urls * 4, results, strict=True):
        by_url.setdefault(url, set()).add(body)
    assert all(len(bodies) == 1 for bodies in by_url.values())  # same page for everyone


def test_page_assets_are_local_files():
    """Every script, style and font the page loads is a file of the package."""
    for path in (WEB / "templates").glob("*.html"):
        text = path.read_text(encoding="utf-8")
        for attr in ("src=", "href="):
            for chunk in text.split(attr)[1:]:
                value = chunk[1:].split(chunk[0], 1)[0]
                if "stylesheet" in chunk[:80] or attr == "src=":
                    assert value.startswith("/static/"), (path.name, value)
    for name in ("style.css", "sparql.js", "favicon.svg"):
        assert (WEB / "static" / name).is_file()
    css = (WEB / "static" / "style.css").read_text(encoding="utf-8")
    assert "@import" not in css and "url(" not in css


def test_serve_without_web_extra_falls_back():
    """Without Starlette, serve still gives the SPARQL endpoint and says how to get the page."""
    code = ("import importlib.util, sys; real = importlib.util.find_spec; "
            "importlib.util.find_spec = lambda n, *a: None if n == 'starlette' else real(n, *a);"
            "sys.argv = ['pvp-kg', 'serve', '--port', '0', '--json'];"
            "from pvp_kg.cli import main; main()")
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    try:
        line = process.stdout.readline().decode()
        info = json.loads(line)
        assert info["query"].endswith("/query")
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    assert b"pip install 'pvp_kg[web]'" in err


def test_missing_web_package_names_the_extra(monkeypatch):
    import pvp_kg
    from pvp_kg import web

    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import uvicorn now fails
    with pytest.raises(pvp_kg.MissingDependencyError, match=r"pvp_kg\[web\]"):
        web.require_web()
