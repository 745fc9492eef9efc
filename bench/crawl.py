"""Accessibility crawl: every page reachable by links, as each demo role, checked by axe at 1280 px and at 390 px.

    .venv/bin/python bench/crawl.py                        # starts its own demo server (var/bench/crawl/)
    .venv/bin/python bench/crawl.py --base http://127.0.0.1:8107   # crawls a demo server that is already running
    .venv/bin/python bench/crawl.py --roles officer,admin --pages 40

Each role signs in through the real form (the demo's users, password commonweal-demo) and follows every same-site
link it is shown, breadth first from the home page and the account page. Addresses are grouped by the Django route
they resolve to (and the names of their query parameters): at most --per-route of each, at most --pages in all.
Sign-out, downloads, the API, the Django admin and links that do something when followed are left alone.

Every page is loaded on a desktop (1280 px wide) and on a phone (390 px), and axe-core (the copy the browser tests
inject, from axe-playwright-python) runs every rule tagged wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa or
best-practice, the ones axe leaves off by default too. Printed: a table per role (pages, findings by impact,
'needs review' results, pages wider than a phone, bad answers, broken files), then each finding once with the
pages and roles it was seen on, then the pages that overflow at 390 px and the bad answers. The whole list is
written as JSON beside it (--json). Exits 0: the figures are the result, the target is none.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter, defaultdict, deque
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FOLDER = ROOT / "var" / "bench" / "crawl"
PASSWORD = "commonweal-demo"
CHROMIUM = os.environ.get("COMMONWEAL_CHROMIUM", "/usr/bin/chromium")

# The demo's people (README.md), one for each role; anonymous signs in as no one.
ROLES = {
    "anonymous": "",
    "resident": "resident@demo.commonweal.test",
    "group member": "group@demo.commonweal.test",
    "officer": "officer@demo.commonweal.test",
    "assessor": "assessor@demo.commonweal.test",
    "steward": "steward@demo.commonweal.test",
    "admin": "admin@demo.commonweal.test",
    "champion": "champion@demo.commonweal.test",
    "vcs": "vcs@demo.commonweal.test",
    "supplier": "supplier@demo.commonweal.test",
}
# Where each crawl starts, besides whatever the first pages link to.
SEEDS = ["/", "/account/", "/directory/?q=food+bank", "/directory/?q=food+bank&postcode=SW19+2HL&distance=2"]
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
IMPACTS = ["critical", "serious", "moderate", "minor"]
# Links not followed: they end the session, download a file, answer in JSON, belong to the Django admin, or act.
SKIP = re.compile(
    r"^/(static|media|api|django-admin)/"
    r"|/logout/|/confirm-email/|/your-data/|/download/|/autosave/|/retry$|/files/\d+/"
    r"|\.(csv|json|xlsx|pdf|zip|png|jpg|svg|txt)$"
)
# 403 and 404 are what a role is meant to get from some addresses; any other 4xx or a 5xx is a fault.
INTENDED = {403, 404}

OVERFLOW_SCRIPT = """() => {
  const width = window.innerWidth, page = document.documentElement.scrollWidth;
  if (page <= width) return null;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].slice(0, 2).map((c) => '.' + c).join('')
    + (el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : '');
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    const parent = el.parentElement && el.parentElement.getBoundingClientRect();
    if (!parent || parent.right > width + 1) continue;  // its parent overflows too: report the outermost
    culprits.push(`${name(el)} (${Math.round(box.right)} px)`);
  }
  return {scrollWidth: page, innerWidth: width, culprits: culprits.slice(0, 4)};
}"""
LINKS_SCRIPT = "els => els.filter(a => !a.hasAttribute('download')).map(a => a.href)"


@dataclass
class Finding:
    role: str
    width: str
    url: str
    rule: str
    impact: str
    kind: str  # "violation" or "incomplete" (axe's 'needs review')
    target: str
    help: str
    why: str = ""  # axe's own words for this element: what failed, or what it could not decide


@dataclass
class RoleResult:
    role: str
    pages: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    overflowing: dict[str, Any] = field(default_factory=dict)
    bad_statuses: list[tuple[str, int, str]] = field(default_factory=list)  # url, status, linked from
    refused: list[tuple[str, int, str]] = field(default_factory=list)  # 403 and 404, with where they were linked
    broken_files: list[tuple[str, int, str]] = field(default_factory=list)  # page, status, file
    skipped: int = 0
    not_reached: list[str] = field(default_factory=list)  # routes linked but left when the --pages cap was hit
    sign_in_failed: bool = False


def route_of(path: str, query: str) -> str:
    """The Django route an address resolves to, with the names of its query parameters: pages of one kind."""
    from django.urls import Resolver404, resolve

    try:
        route = "/" + resolve(path).route
    except Resolver404:
        route = re.sub(r"/\d+(?=/|$)", "/{n}", path)
    names = sorted({name for name, _ in parse_qsl(query, keep_blank_values=True) if name != "page"})
    return route + ("?" + "&".join(names) if names else "")


def axe_options(page: Any, axe_script: str) -> dict[str, Any]:
    """Every rule carrying one of TAGS, including those axe-core leaves off unless asked."""
    page.evaluate(axe_script)
    rules = page.evaluate(f"axe.getRules({json.dumps(TAGS)}).map(r => r.ruleId)")
    return {
        "runOnly": {"type": "rule", "values": rules},
        "rules": {rule: {"enabled": True} for rule in rules},
        "resultTypes": ["violations", "incomplete"],
    }


def run_axe(page: Any, axe_script: str, options: dict[str, Any]) -> dict[str, Any]:
    page.evaluate(axe_script)
    return dict(page.evaluate("options => axe.run(document, options)", options))


def findings_of(results: dict[str, Any], *, role: str, width: str, url: str) -> list[Finding]:
    found = []
    for kind, key in (("violation", "violations"), ("incomplete", "incomplete")):
        for rule in results.get(key, []):
            for node in rule["nodes"]:
                found.append(
                    Finding(
                        role=role,
                        width=width,
                        url=url,
                        rule=rule["id"],
                        impact=node.get("impact") or rule.get("impact") or "minor",
                        kind=kind,
                        target=" ".join(str(t) for t in node["target"]),
                        help=rule["help"],
                        why=next(
                            (c["message"] for key in ("any", "all", "none") for c in node.get(key, []) if c["message"]),
                            "",
                        ),
                    )
                )
    return found


def sign_in(context: Any, base: str, email: str) -> bool:
    page = context.new_page()
    try:
        page.goto(base + "/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_load_state()
        return "/accounts/login/" not in page.url and "/2fa/" not in page.url
    finally:
        page.close()


def crawl_role(browser: Any, base: str, role: str, email: str, args: argparse.Namespace, axe_script: str) -> RoleResult:
    result = RoleResult(role=role)
    origin = urlsplit(base)
    desktop = browser.new_context(viewport=dict(zip(("width", "height"), WIDTHS["desktop"], strict=True)))
    if email and not sign_in(desktop, base, email):
        result.sign_in_failed = True
        desktop.close()
        return result
    phone = browser.new_context(
        viewport=dict(zip(("width", "height"), WIDTHS["phone"], strict=True)), storage_state=desktop.storage_state()
    )
    pages = {"desktop": desktop.new_page(), "phone": phone.new_page()}
    broken: list[tuple[str, int, str]] = []
    for tab in pages.values():
        tab.set_default_timeout(30_000)
        tab.on(
            "response",
            lambda response: (
                broken.append((response.frame.url, response.status, response.url))
                if response.status >= 400 and response.request.resource_type != "document"
                else None
            ),
        )
        tab.on(
            "requestfailed",
            lambda request: (
                broken.append((request.frame.url, 0, f"{request.url} ({request.failure})"))
                if request.resource_type != "document"
                else None
            ),
        )

    options: dict[str, Any] | None = None
    queue: deque[tuple[str, str]] = deque((base + seed, "(start)") for seed in SEEDS)
    seen: set[str] = set()
    per_route: Counter[str] = Counter()
    while queue and len(result.pages) < args.pages:
        url, linked_from = queue.popleft()
        parts = urlsplit(url)
        if parts.netloc != origin.netloc or parts.scheme not in ("http", "https"):
            continue
        url = urlunsplit(parts._replace(fragment=""))
        if url in seen:
            continue
        seen.add(url)
        if SKIP.search(parts.path) or (email and parts.path.startswith("/accounts/login/")):
            result.skipped += 1
            continue
        route = route_of(parts.path, parts.query)
        if per_route[route] >= args.per_route:
            result.skipped += 1
            continue
        per_route[route] += 1
        for width, tab in pages.items():
            try:
                response = tab.goto(url, wait_until="load")
            except Exception as error:  # a download, or a page that never loaded: noted, and the crawl goes on
                result.bad_statuses.append((url, 0, f"{linked_from}: {str(error).splitlines()[0]}"))
                break
            status = response.status if response else 0
            if status >= 400:
                (result.refused if status in INTENDED else result.bad_statuses).append((url, status, linked_from))
                break
            if "text/html" not in (response.headers.get("content-type", "") if response else ""):
                break
            here = tab.url
            if width == "desktop":
                if urlsplit(here).path != parts.path and here in seen:
                    break  # redirected to a page already crawled
                seen.add(here)
                result.pages.append(here)
                for link in tab.eval_on_selector_all("a[href]", LINKS_SCRIPT):
                    queue.append((link, here))
            else:
                overflow = tab.evaluate(OVERFLOW_SCRIPT)
                if overflow:
                    result.overflowing[here] = overflow
            options = options or axe_options(tab, axe_script)
            result.findings += findings_of(run_axe(tab, axe_script, options), role=role, width=width, url=here)
    result.broken_files = sorted(set(broken))
    for url, _ in queue:
        parts = urlsplit(url)
        if parts.netloc == origin.netloc and url not in seen and not SKIP.search(parts.path):
            route = route_of(parts.path, parts.query)
            if route not in per_route and route not in result.not_reached:
                result.not_reached.append(route)
    desktop.close()
    phone.close()
    return result


def print_summary(results: list[RoleResult]) -> None:
    heads = ["role", "pages", *IMPACTS, "violations", "incomplete", "overflow", "bad status", "403/404", "broken"]
    print("\nAxe crawl: findings are elements (axe 'nodes') over both widths, desktop 1280 px and phone 390 px\n")
    print("".join(f"{h:>11}" if i else f"{h:<14}" for i, h in enumerate(heads)))
    totals: Counter[str] = Counter()
    for r in results:
        violations = [f for f in r.findings if f.kind == "violation"]
        by_impact = Counter(f.impact for f in violations)
        row = {
            "pages": len(r.pages),
            **{impact: by_impact[impact] for impact in IMPACTS},
            "violations": len(violations),
            "incomplete": sum(f.kind == "incomplete" for f in r.findings),
            "overflow": len(r.overflowing),
            "bad status": len(r.bad_statuses),
            "403/404": len(r.refused),
            "broken": len({file for _, _, file in r.broken_files}),
        }
        totals.update(row)
        label = r.role + (" (sign-in failed)" if r.sign_in_failed else "")
        print(f"{label:<14}" + "".join(f"{row[h]:>11}" for h in heads[1:]))
    print(f"{'all roles':<14}" + "".join(f"{totals[h]:>11}" for h in heads[1:]))
    for r in results:
        if r.not_reached:
            print(
                f"  {r.role}: the --pages cap left {len(r.not_reached)} route(s) unvisited: {', '.join(r.not_reached)}"
            )


def print_details(results: list[RoleResult], limit: int) -> None:
    """Each finding once: the rule, its impact and the element (a table's cells as one), with the pages it is on."""
    grouped: dict[tuple[str, str, str, str], list[Finding]] = defaultdict(list)
    for r in results:
        for f in r.findings:
            grouped[(f.kind, f.rule, f.impact, re.sub(r":nth-child\(\d+\)", ":nth-child(n)", f.target))].append(f)
    order = {impact: i for i, impact in enumerate(IMPACTS)}
    print("\nFindings (rule, impact, target), each once, with the pages it was seen on")
    for (kind, rule, impact, target), found in sorted(
        grouped.items(), key=lambda item: (item[0][0] != "violation", order.get(item[0][2], 9), item[0][1:])
    ):
        urls = sorted({address(f.url) for f in found})
        roles = sorted({f.role for f in found})
        widths = sorted({f.width for f in found})
        print(f"- [{kind}] {rule} ({impact}) {target}: {found[0].help}")
        print(f"    {len(found)} element(s) on {len(urls)} page(s), {'/'.join(widths)}, as {', '.join(roles)}")
        reasons = Counter(f.why for f in found if f.why)
        if reasons:
            print(f"    axe: {reasons.most_common(1)[0][0]}")
        for url in urls[:limit]:
            print(f"      {url}")
        if len(urls) > limit:
            print(f"      ... and {len(urls) - limit} more")
    print("\nPages wider than a 390 px phone (document scrollWidth > innerWidth)")
    overflowing: dict[str, tuple[Any, set[str]]] = {}
    for r in results:
        for url, overflow in r.overflowing.items():
            overflowing.setdefault(address(url), (overflow, set()))[1].add(r.role)
    for path, (overflow, roles) in sorted(overflowing.items()):
        culprits = ", ".join(overflow["culprits"])
        print(f"- {path}: {overflow['scrollWidth']} px ({culprits}) as {', '.join(sorted(roles))}")
    if not overflowing:
        print("- none")
    print("\nAnswers other than 2xx/3xx (403 and 404 apart)")
    problems = sorted({(address(url), status, r.role, note) for r in results for url, status, note in r.bad_statuses})
    for url, status, role, note in problems:
        print(f"- {status} {url} as {role}: {note}")
    if not problems:
        print("- none")
    print("\nBroken images, styles and scripts (answers >= 400 or no answer), with the pages that asked for them")
    files: dict[tuple[str, int], set[str]] = defaultdict(set)
    for r in results:
        for page, status, file in r.broken_files:
            files[(address(file), status)].add(address(page))
    for (file, status), pages in sorted(files.items()):
        print(f"- {status} {file} on {len(pages)} page(s), e.g. {sorted(pages)[0]}")
    if not files:
        print("- none")
    print("\n403 and 404 answers from links shown (meant, or a link that should not be shown?)")
    refused = sorted({(address(url), status, address(src), r.role) for r in results for url, status, src in r.refused})
    for path, status, src, role in refused:
        print(f"- {status} {path} as {role}, linked from {src}")
    if not refused:
        print("- none")


def address(url: str) -> str:
    """A page's path and query, without the server's origin."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_demo_server(reuse: bool) -> tuple[str, subprocess.Popen[bytes]]:
    """A demo server of the crawl's own, on a copy of the demo borough in var/bench/crawl (rebuilt unless reused)."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "commonweal.settings.demo",
        "COMMONWEAL_VAR_DIR": str(FOLDER),
        "COMMONWEAL_LOG_LEVEL": "ERROR",
    }
    database = FOLDER / "commonweal.sqlite3"
    if not (reuse and database.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        steps: list[list[str]] = [["migrate", "--noinput", "-v0"], ["load_demo"]]
    else:
        steps = [["migrate", "--noinput", "-v0"]]
    for step in [*steps, ["collectstatic", "--noinput", "-v0"]]:
        subprocess.run([BIN / "commonweal", *step], env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen(
        [BIN / "commonweal", "serve", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(FOLDER / "server.log").open("w"),
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if urllib.request.urlopen(base + "/healthz", timeout=1).status == 200:
                return base, server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("The crawl's demo server did not start (see var/bench/crawl/server.log).")


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", help="A running server to crawl, e.g. http://127.0.0.1:8107 (default: start one).")
    parser.add_argument("--reuse", action="store_true", help="Reuse the crawl's own demo database from a last run.")
    parser.add_argument("--roles", default=",".join(ROLES), help="Roles to crawl, by name, commas between.")
    parser.add_argument("--pages", type=int, default=120, help="Pages at most for each role (default 120).")
    parser.add_argument("--per-route", type=int, default=3, help="Pages at most of one route (default 3).")
    parser.add_argument("--show", type=int, default=5, help="Pages listed under each finding (default 5).")
    parser.add_argument("--json", type=Path, default=FOLDER / "findings.json", help="Where to write every finding.")
    args = parser.parse_args(argv)
    unknown = set(args.roles.split(",")) - set(ROLES)
    if unknown:
        parser.error(f"unknown roles {', '.join(sorted(unknown))}; the roles are {', '.join(ROLES)}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    if not (shutil.which("chromium") or os.path.exists(CHROMIUM)):
        print(f"Axe crawl skipped: no Chromium at {CHROMIUM} (apt-get install chromium).")
        return 0
    # Routes are named from the project's own URL patterns; the demo settings are enough, no database is opened.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonweal.settings.demo")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    axe_script = Axe().axe_script  # the same axe-core the browser tests run
    server = None
    base = (args.base or "").rstrip("/")
    if not base:
        base, server = start_demo_server(args.reuse)
    results: list[RoleResult] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium") or CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
            )
            for role in args.roles.split(","):
                started = time.monotonic()
                results.append(crawl_role(browser, base, role, ROLES[role], args, axe_script))
                print(
                    f"crawled as {role}: {len(results[-1].pages)} pages in {time.monotonic() - started:.0f} s",
                    flush=True,
                )
            browser.close()
    finally:
        if server:
            server.terminate()
            server.wait(timeout=30)
    print_summary(results)
    print_details(results, args.show)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps([asdict(r) for r in results], indent=1), encoding="utf-8")
    print(f"\nEvery finding, page and answer: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
