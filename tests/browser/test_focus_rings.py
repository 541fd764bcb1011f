"""Every element the keyboard reaches shows a focus ring of at least 3:1 against what is
around it (WCAG 2.1, 1.4.11 and 2.4.7), on the pages people use most, at a phone's width."""

import pytest

from kring.core.demo import DEMO_PASSWORD, load_demo

from .walk import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The focused element's ring: its colour, width and style, and the colour behind it (the
# nearest ancestor with a background of its own), with their contrast ratio.
RING = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const rgb = text => (text.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const channel = c => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  let behind = [255, 255, 255];
  for (let a = el.parentElement; a; a = a.parentElement) {
    const colour = rgb(getComputedStyle(a).backgroundColor);
    if (colour.length === 3 || (colour.length === 4 && colour[3] > 0)) {
      behind = colour.slice(0, 3);
      break;
    }
  }
  const ring = rgb(style.outlineColor).slice(0, 3);
  const [light, dark] = [luminance(ring), luminance(behind)].sort((x, y) => y - x);
  const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + [...el.classList].map(c => '.' + c).join('')
    + ' ' + (el.textContent || '').trim().slice(0, 30);
  return {name, style: style.outlineStyle, width: parseFloat(style.outlineWidth),
          ratio: (light + 0.05) / (dark + 0.05)};
}"""


@pytest.mark.parametrize(
    "email,path",
    [
        ("coordinator@delinde.example", "/"),
        ("coordinator@delinde.example", "/programmes/{running}/"),
        ("coordinator@delinde.example", "/programmes/{running}/registrations/"),
        ("deelnemer@delinde.example", "/"),
    ],
)
def test_every_focusable_element_shows_a_clear_ring(browser, live_server, email, path):
    from kring.programmes.models import Programme

    load_demo()
    running = Programme.objects.get(status="running").pk
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        log_in(page, live_server.url, email, DEMO_PASSWORD)
        page.goto(live_server.url + path.format(running=running))
        weak, seen = [], 0
        for _ in range(40):
            page.keyboard.press("Tab")
            ring = page.evaluate(RING)
            if ring is None:
                break
            seen += 1
            if ring["style"] == "none" or ring["width"] < 2 or ring["ratio"] < 3:
                weak.append(ring)
    finally:
        context.close()
    assert seen >= 5
    assert not weak, "\n".join(
        f"{r['name']}: {r['style']} {r['width']}px, {r['ratio']:.2f}:1" for r in weak
    )
