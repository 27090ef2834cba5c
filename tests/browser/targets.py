"""What a gloved finger can hit: every control of a page at least 44 × 44 CSS pixels.

WCAG 2.5.5 (AAA, the size this brief asks for): links inside a sentence are exempt (the
"inline" exception), so is what is not on screen (the skip links until focused), and what a
page marks `data-dense`: cells small on purpose (the 24-hour grid's quarters), whose page must
offer a large way to the same thing (there, the typed periods and the zoomable photo). A checkbox,
radio or file field drawn through its label is measured by its label, which takes the tap.
"""

from __future__ import annotations

from playwright.sync_api import Page

MINIMUM = 44

SMALL_TARGETS = """(minimum) => {
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden"
      && box.bottom > 0 && box.right > 0 && !el.closest("[hidden], [inert], .fr-skiplinks")
      && !el.closest("[data-dense]");
  };
  const inline = (el) => {
    if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
    const block = el.parentElement.closest("p, li, dd, td, th, span, div");
    return block !== null && block.textContent.trim().length > el.textContent.trim().length;
  };
  const label = (input) =>
    (input.id ? document.querySelector(`label[for="${CSS.escape(input.id)}"]`) : null)
    || input.closest("label");
  const found = [];
  const seen = new Set();
  for (const el of document.querySelectorAll("a[href], button, input, select, textarea, summary")) {
    if (el.type === "hidden" || el.disabled) continue;
    let target = el;
    if (["checkbox", "radio", "file"].includes(el.type)) {
      target = label(el) || el;
    }
    if (seen.has(target) || !shown(target) || inline(target)) continue;
    seen.add(target);
    const box = target.getBoundingClientRect();
    if (box.width + 0.5 < minimum || box.height + 0.5 < minimum) {
      const name = (target.textContent || target.getAttribute("aria-label") || target.name || "")
        .trim().slice(0, 40);
      const size = `${Math.round(box.width)}×${Math.round(box.height)}`;
      found.push(`${target.tagName.toLowerCase()} «${name}» ${size}`);
    }
  }
  return found;
}"""


def small_targets(page: Page) -> list[str]:
    """The visible controls under 44 px in width or height, described for the failure."""
    return list(page.evaluate(SMALL_TARGETS, MINIMUM))


def assert_targets_large_enough(page: Page) -> None:
    small = small_targets(page)
    assert not small, f"{page.url}: targets under {MINIMUM} px:\n" + "\n".join(small)
