// A control form's key (`cle`) is made anew each time the page is served: sent twice, the
// form records one control. Back on the form after sending it, the page is served again
// (never cached: no-store) with a new key, yet the browser puts back what was typed: sent
// again, the same control would be recorded twice. The key sent is kept with that page's
// entry in the tab's history, and given back to the form when the browser has put back what
// was typed (another entry, a form opened anew, has none: its own key stands).

function typedBack(form) {
  return [...form.elements].some((field) =>
    field.type === "checkbox" || field.type === "radio"
      ? field.checked !== field.defaultChecked
      : (field.type === "text" || field.tagName === "TEXTAREA") &&
        field.value !== field.defaultValue,
  );
}

export function keepSentKey(form) {
  const key = form.querySelector('input[name="cle"]');
  if (!key) return;
  // the browser puts the typed fields back once the page has loaded, not before
  window.addEventListener("pageshow", () => {
    const sent = history.state?.cle;
    if (sent && typedBack(form)) key.value = sent;
  });
  form.addEventListener("submit", () =>
    history.replaceState({ ...history.state, cle: key.value }, ""),
  );
}

const form = document.getElementById("form-controle");
if (form) keepSentKey(form);
