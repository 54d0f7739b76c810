"""Every kind of patient page fits a phone: no sideways scrolling at 390 and 320 px wide,
16 px text in form controls, 44 x 44 px touch targets, a visible keyboard focus.

Each page's screenshot at 390 x 844 (and at 320 px wide) is saved in build/screenshots/.
"""

from pathlib import Path

import pytest

from .page_types import PAGE_TYPES

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
WIDTHS = (390, 320)
TARGETS = "button, a.button, .link-button, .change-link, .option label, .scale-option label"

LAYOUT_PROBLEMS = """([width, targets]) => {
  const problems = [];
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.htmlFor ? "[for=" + el.htmlFor + "]" : "")
    + " " + (el.textContent || "").trim().slice(0, 40);
  const root = document.documentElement;
  if (root.scrollWidth > width) {
    problems.push(`page is ${root.scrollWidth}px wide`);
    for (const el of document.querySelectorAll("body *")) {
      const box = el.getBoundingClientRect();
      if (box.right > width + 0.5 && el.checkVisibility()) problems.push(`  too wide: ${name(el)}`);
    }
  }
  for (const el of document.querySelectorAll("input:not([type=hidden]), select, textarea, label")) {
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 16) problems.push(`text ${size}px: ${name(el)}`);
  }
  for (const el of document.querySelectorAll(targets)) {
    if (!el.checkVisibility()) continue;
    const box = el.getBoundingClientRect();
    if (box.width < 44 || box.height < 44) {
      problems.push(`target ${box.width.toFixed(1)}x${box.height.toFixed(1)}: ${name(el)}`);
    }
  }
  return problems;
}"""

# The focused element, or the label that shows a visually hidden radio or checkbox.
FOCUS_INDICATOR = """() => {
  let el = document.activeElement;
  if (!el || el === document.body) return null;
  if (el.matches("input[type=radio], input[type=checkbox]")) {
    el = document.querySelector(`label[for="${el.id}"]`);
  }
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {
    key: Array.prototype.indexOf.call(document.getElementsByTagName("*"), document.activeElement),
    name: el.tagName.toLowerCase() + " " + (el.textContent || el.name || "").trim().slice(0, 40),
    button: el.matches("button, a.button"),
    visible: outline || style.boxShadow !== "none",
  };
}"""


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_fits_a_phone(patient, page_type):
    PAGE_TYPES[page_type](patient)
    page = patient.page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{page_type}.png", full_page=True, scale="css")

    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 844})
        problems += [
            f"{width}px: {one}" for one in page.evaluate(LAYOUT_PROBLEMS, [width, TARGETS])
        ]
    page.screenshot(path=SCREENSHOTS / f"{page_type}-320px.png", full_page=True, scale="css")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_keyboard_focus_is_visible(patient, page_type):
    PAGE_TYPES[page_type](patient)
    page = patient.page
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    seen, hidden_focus, buttons = set(), [], 0
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS_INDICATOR)
        if focused is None or focused["key"] in seen:
            break  # past the last element, or round to the first again
        seen.add(focused["key"])
        buttons += focused["button"]
        if not focused["visible"]:
            hidden_focus.append(focused["name"])
    assert seen, "nothing takes the keyboard focus"
    assert not hidden_focus, f"focus not visible on: {hidden_focus}"
    if page.locator("button:visible, a.button:visible").count():
        assert buttons, "no button was reached with the Tab key"
