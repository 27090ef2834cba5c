// Building the offline pages' markup without innerHTML: text stays text, whatever a code holds.
export function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

// One save at a time per form: a second tap while the tablet is still keeping the first one
// (IndexedDB takes a moment, photos longer) would keep the control or its bulletin twice.
const saving = new WeakSet();

// The form is being kept: a tap then must neither keep it again nor, the network back in
// the meantime, post it to the server (it would be recorded there and kept in the outbox).
export function beingSaved(form) {
  return saving.has(form);
}

export async function saveOnce(form, save) {
  if (saving.has(form)) return;
  saving.add(form);
  try {
    await save();
  } finally {
    saving.delete(form);
  }
}
