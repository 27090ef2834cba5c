// A control form's key (`cle`) is made anew each time the page is served: sent twice, the
// form records one control. Back on the form after sending it, the page is served again
// (never cached: no-store) with a new key, yet the browser puts back what was typed: sent
// again, the same control would be recorded twice. The tab keeps the key it sent, and gives
// it back to the form when the agent comes back to it and finds what they typed.
const SENT = "cle-envoyee:";

function typedBack(form) {
  return [...form.elements].some((field) =>
    field.type === "checkbox" || field.type === "radio"
      ? field.checked !== field.defaultChecked
      : (field.type === "text" || field.tagName === "TEXTAREA") &&
        field.value !== field.defaultValue,
  );
}

function cameBack() {
  return performance.getEntriesByType("navigation")[0]?.type === "back_forward";
}

export function keepSentKey(form) {
  const key = form.querySelector('input[name="cle"]');
  if (!key) return;
  const slot = SENT + location.pathname + location.search;
  // the browser puts the typed fields back once the page has loaded, not before
  window.addEventListener("pageshow", () => {
    const sent = sessionStorage.getItem(slot);
    if (sent && cameBack() && typedBack(form)) key.value = sent;
  });
  form.addEventListener("submit", () => sessionStorage.setItem(slot, key.value));
}

const form = document.getElementById("form-controle");
if (form) keepSentKey(form);
