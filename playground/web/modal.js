// Modals as dialogs: text inputs in labels (or the older action rows),
// submitted back in the same layout Discord uses.
import { el, text } from "./render.js";

const dialog = document.getElementById("modal");
let onSubmit = null;
let current = null;

export function openModal(data, submit) {
  current = data;
  onSubmit = submit;
  document.getElementById("modal-title").textContent = data.title || "";
  const box = document.getElementById("modal-fields");
  box.replaceChildren(...inputs(data).map(field));
  dialog.showModal();
  const first = box.querySelector("input, textarea");
  if (first) first.focus();
}

// inputs flattens both layouts into {label, description, input, layout}.
function inputs(data) {
  const out = [];
  for (const c of data.components || []) {
    if (c.type === 18 && c.component && c.component.type === 4) {
      out.push({ label: c.label, description: c.description, input: c.component, layout: "label" });
    } else if (c.type === 1) {
      for (const i of c.components || []) if (i.type === 4) out.push({ label: i.label, input: i, layout: "row" });
    }
  }
  return out;
}

function field(f) {
  const wrap = el("div", "modal-field");
  const label = el("label");
  label.textContent = f.label || f.input.custom_id;
  if (f.input.required !== false) label.append(text("span", "req", " *"));
  const input = el(f.input.style === 2 ? "textarea" : "input");
  input.id = label.htmlFor = "modal-" + f.input.custom_id;
  input.dataset.customId = f.input.custom_id;
  input.dataset.layout = f.layout;
  input.value = f.input.value || "";
  input.placeholder = f.input.placeholder || "";
  input.required = f.input.required !== false;
  if (f.input.min_length) input.minLength = f.input.min_length;
  if (f.input.max_length) input.maxLength = f.input.max_length;
  wrap.append(label);
  if (f.description) wrap.append(text("div", "desc", f.description));
  wrap.append(input);
  return wrap;
}

document.getElementById("modal-form").addEventListener("submit", (ev) => {
  if (ev.submitter && ev.submitter.value === "cancel") return;
  const components = [...dialog.querySelectorAll("[data-custom-id]")].map((i) => {
    const input = { type: 4, custom_id: i.dataset.customId, value: i.value };
    return i.dataset.layout === "label" ? { type: 18, component: input } : { type: 1, components: [input] };
  });
  const submit = onSubmit;
  const data = { custom_id: current.custom_id, components };
  onSubmit = null;
  if (submit) submit(data);
});
