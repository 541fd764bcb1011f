"""Walking a role's pages in a browser and measuring each one: overflow and axe-core.

Used by test_every_page.py; kept apart so the same walk can be pointed at a running
server when looking for what to fix.
"""

import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-4.14.1.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = (390, 1280)
HEIGHT = 844

# Not pages to look at: leaving, files, feeds, and Django's own admin (not Kring's pages).
SKIPPED = re.compile(
    r"/logout|/admin/|/static/|/media/|\.ics$|\.csv$|\.xlsx$|\.pdf$|/feed|/export|/download",
)
# A page shape ("/groups/N/") is looked at this many times per role: eight groups render
# with one template.
PER_SHAPE = 3


@dataclass
class Finding:
    role: str
    url: str
    width: int
    problem: str

    def __str__(self):
        return f"{self.role} {self.url} @{self.width}px: {self.problem}"


@dataclass
class Walk:
    role: str
    pages: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def log_in(page, base_url: str, email: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def links_on(page, base_url: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    origin = urlsplit(base_url).netloc
    found = []
    for href in hrefs:
        url, _ = urldefrag(urljoin(page.url, href))
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc == origin:
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if not SKIPPED.search(parts.path):
                found.append(path)
    return found


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0 when it fits)."""
    return page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


WIDEST = """() => {
  const limit = window.innerWidth + 1;
  // Clipped by a scrolling box: one of its containing blocks scrolls or hides overflow.
  // (An absolutely placed element escapes boxes below its positioned ancestor.)
  const placed = style => style.position === 'absolute' || style.position === 'fixed';
  const clipped = el => {
    let escapes = placed(getComputedStyle(el));
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (escapes && style.position === 'static') continue;
      if (style.overflowX !== 'visible') return true;
      escapes = placed(style);
    }
    return false;
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].map(c => '.' + c).join('');
  const sticking = [...document.body.querySelectorAll('*')].filter(
    el => el.getBoundingClientRect().right > limit && !clipped(el));
  const deepest = sticking.filter(el => !sticking.some(o => o !== el && el.contains(o)));
  return deepest.slice(0, 3).map(el => {
    const path = [];
    for (let a = el; a && a !== document.body && path.length < 4; a = a.parentElement) {
      path.unshift(name(a));
    }
    return path.join(' > ');
  });
}"""


def widest(page) -> list[str]:
    """The elements that stick out of the window, for the failure message."""
    return page.evaluate(WIDEST)


def axe_violations(page) -> list[str]:
    """WCAG 2.1 A/AA violations as 'rule-id: target, target' lines."""
    # Evaluated rather than added as a <script>: Kring's CSP refuses inline scripts, and
    # the test must see the page under its real policy.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    results = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                      resultTypes: ['violations']})
            .then(r => r.violations.map(v => ({
                id: v.id,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
                count: v.nodes.length})))""",
        WCAG_TAGS,
    )
    return [f"{item['id']} ({item['count']}x): {', '.join(item['targets'])}" for item in results]


# What a Dutch page never shows: ISO dates, English month or day abbreviations, a.m./p.m.
NOT_DUTCH = re.compile(
    r"\b\d{4}-\d{2}-\d{2}\b|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b\.?"
    r"|\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b|\b[ap]\.m\.",
)


def foreign_dates(page) -> list[str]:
    """Dates and times on the page (not in inputs) that are not written the Dutch way."""
    text = page.inner_text("body")
    return sorted({match.group() for match in NOT_DUTCH.finditer(text)})


def measure(page, walk: Walk, path: str) -> None:
    for text in foreign_dates(page):
        walk.findings.append(Finding(walk.role, path, 0, f"not a Dutch date: {text!r}"))
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        wider = overflow(page)
        if wider:
            culprits = "; ".join(widest(page))
            walk.findings.append(
                Finding(walk.role, path, width, f"{wider}px too wide ({culprits})")
            )
        for violation in axe_violations(page):
            walk.findings.append(Finding(walk.role, path, width, violation))


def walk_role(
    context,
    base_url: str,
    role: str,
    password: str | None,
    depth: int = 4,
    limit: int = 80,
    start: str | None = None,
    after_login=None,
) -> Walk:
    """Log in as `role` (unless there is no password: a visitor), then look at every page
    reachable from the start page and its menu."""
    walk = Walk(role)
    page = context.new_page()
    page.set_default_timeout(15_000)
    if password is not None:
        log_in(page, base_url, role, password)
        if after_login is not None:
            after_login(page)  # a second factor, for instance
    else:
        page.goto(base_url + start)
    start = urlsplit(page.url).path
    queue = deque([(start, 0)])
    seen = {start}
    shapes: dict[str, int] = {}
    while queue and len(walk.pages) < limit:
        path, level = queue.popleft()
        key = shape(path)
        if shapes.get(key, 0) >= PER_SHAPE:
            continue
        shapes[key] = shapes.get(key, 0) + 1
        response = page.goto(base_url + path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        landed = urlsplit(page.url)
        walk.pages.append(landed.path + (f"?{landed.query}" if landed.query else ""))
        if response.status >= 400:
            walk.findings.append(Finding(role, path, 0, f"answers {response.status}"))
        measure(page, walk, path)
        if level < depth:
            for link in links_on(page, base_url):
                if link not in seen:
                    seen.add(link)
                    queue.append((link, level + 1))
    page.close()
    return walk
