// The command box: "/" lists the slash commands, choosing one shows its
// options (choices, required flags, autocomplete), Enter sends it.
import { el, text } from "./render.js";

const T = { string: 3, integer: 4, boolean: 5, user: 6, number: 10 };

export function setupCommands(app) {
  const input = document.getElementById("command-input");
  const popup = document.getElementById("command-popup");
  const form = document.getElementById("command-form");
  const send = document.getElementById("send-command");
  let commands = [];
  let matches = [];
  let selected = 0;
  let current = null; // the chosen command
  let fields = {}; // option name → input element

  fetch("/playground/commands").then((r) => r.json()).then((c) => { commands = c; });

  function showPopup() {
    const q = input.value.replace(/^\//, "").trim().toLowerCase();
    matches = commands.filter((c) => c.name.includes(q));
    popup.replaceChildren(text("div", "popup-title", "Cloud Engine commands"));
    matches.forEach((c, i) => {
      const b = el("button", "cmd-suggestion" + (i === selected ? " selected" : ""));
      b.dataset.name = c.name;
      b.innerHTML = `<b>/${c.name}</b><span></span>`;
      b.querySelector("span").textContent = c.description;
      b.addEventListener("mousedown", (ev) => { ev.preventDefault(); choose(c); });
      popup.append(b);
    });
    popup.hidden = matches.length === 0;
  }

  function choose(c) {
    current = c;
    popup.hidden = true;
    input.value = "/" + c.name;
    buildForm(c);
    send.hidden = false;
    const first = form.querySelector("input, select");
    (first || input).focus();
  }

  function buildForm(c) {
    fields = {};
    form.replaceChildren();
    const title = el("div", "cmd-name");
    title.textContent = "/" + c.name;
    title.append(text("span", "", c.description));
    form.append(title);
    for (const o of c.options || []) form.append(optionField(o));
    form.hidden = false;
  }

  function optionField(o) {
    const box = el("div", "opt");
    const label = el("label");
    label.textContent = o.name;
    if (o.required) label.append(text("span", "req", " *"));
    label.title = o.description;
    let f;
    if (o.choices || o.type === T.user || o.type === T.boolean) {
      f = el("select");
      const none = text("option", "", o.required ? "Choose…" : "—");
      none.value = "";
      f.append(none);
      const items = o.choices || (o.type === T.user
        ? app.members().map((m) => ({ name: `${m.name} (${m.role})`, value: m.id }))
        : [{ name: "True", value: "true" }, { name: "False", value: "false" }]);
      for (const ch of items) {
        const opt = text("option", "", ch.name);
        opt.value = String(ch.value);
        f.append(opt);
      }
    } else {
      f = el("input");
      f.type = o.type === T.integer || o.type === T.number ? "number" : "text";
      if (o.min_value !== undefined) f.min = o.min_value;
      if (o.max_value !== undefined) f.max = o.max_value;
      if (o.max_length) f.maxLength = o.max_length;
      f.placeholder = o.description;
      f.autocomplete = "off";
      if (o.autocomplete) wireAutocomplete(box, f, o);
    }
    f.dataset.option = o.name;
    f.addEventListener("keydown", (ev) => { if (ev.key === "Enter") { ev.preventDefault(); submit(); } });
    fields[o.name] = f;
    label.htmlFor = f.id = "opt-" + o.name;
    box.append(label, f);
    return box;
  }

  function wireAutocomplete(box, f, o) {
    let timer = null;
    const list = el("div", "choices");
    list.hidden = true;
    box.append(list);
    const ask = async () => {
      const opts = collect(false).filter((x) => x.name !== o.name);
      opts.push({ name: o.name, type: o.type, value: f.value, focused: true });
      const r = await app.interact({ type: 4, data: { id: current.id, name: current.name, type: 1, options: opts } });
      if (!r || r.type !== 8 || document.activeElement !== f) return;
      const choices = (r.data && r.data.choices) || [];
      list.replaceChildren();
      for (const ch of choices) {
        const b = text("button", "choice", ch.name);
        b.type = "button";
        b.dataset.value = ch.value;
        b.addEventListener("mousedown", (ev) => { ev.preventDefault(); f.value = ch.value; list.hidden = true; });
        list.append(b);
      }
      list.hidden = choices.length === 0;
    };
    const later = () => { clearTimeout(timer); timer = setTimeout(ask, 150); };
    f.addEventListener("input", later);
    f.addEventListener("focus", later);
    f.addEventListener("blur", () => setTimeout(() => { list.hidden = true; }, 150));
  }

  // collect reads the options; strict reports a missing required one.
  function collect(strict) {
    const out = [];
    for (const o of current.options || []) {
      const raw = fields[o.name].value.trim();
      if (raw === "") {
        if (strict && o.required) throw new Error(`The option “${o.name}” is required.`);
        continue;
      }
      let value = raw;
      if (o.type === T.integer) value = parseInt(raw, 10);
      else if (o.type === T.number) value = Number(raw);
      else if (o.type === T.boolean) value = raw === "true";
      out.push({ name: o.name, type: o.type, value });
    }
    return out;
  }

  async function submit() {
    if (!current) return;
    let options;
    try { options = collect(true); } catch (e) { app.toast(e.message); return; }
    const c = current;
    reset();
    await app.interact({ type: 2, data: { id: c.id, name: c.name, type: 1, options } });
  }

  function reset() {
    current = null;
    fields = {};
    form.hidden = true;
    form.replaceChildren();
    send.hidden = true;
    input.value = "";
    popup.hidden = true;
  }

  input.addEventListener("input", () => {
    if (current && input.value !== "/" + current.name) { current = null; form.hidden = true; send.hidden = true; }
    selected = 0;
    if (input.value.startsWith("/") || input.value.length > 0) showPopup(); else popup.hidden = true;
  });
  input.addEventListener("focus", () => { if (!current && input.value.startsWith("/")) showPopup(); });
  input.addEventListener("blur", () => setTimeout(() => { popup.hidden = true; }, 150));
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") { reset(); return; }
    if (!popup.hidden && (ev.key === "ArrowDown" || ev.key === "ArrowUp")) {
      ev.preventDefault();
      selected = (selected + (ev.key === "ArrowDown" ? 1 : matches.length - 1)) % Math.max(matches.length, 1);
      showPopup();
      return;
    }
    if (ev.key === "Enter" || ev.key === "Tab") {
      ev.preventDefault();
      if (current) submit();
      else if (matches[selected]) choose(matches[selected]);
    }
  });
  send.addEventListener("click", submit);

  // prefill chooses a command and fills some options, for the welcome hints.
  return {
    prefill(name, values) {
      const c = commands.find((x) => x.name === name);
      if (!c) return;
      choose(c);
      for (const [k, v] of Object.entries(values || {})) if (fields[k]) fields[k].value = v;
    },
  };
}
