// Draws messages as Discord does: author line, content, embeds,
// components, attachments, the thread chip and the ephemeral note.
import { esc, markdown, size, timeOf } from "./markdown.js";

// Inline icons: emoji fonts are missing on many machines.
export const icons = {
  thread: '<svg class="ico" viewBox="0 0 24 24" width="16" height="16"><path fill="currentColor" d="M5 3h14a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2h-7l-5 4v-4H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm2 4v2h10V7H7zm0 4v2h7v-2H7z"/></svg>',
  file: '<svg class="ico" viewBox="0 0 24 24" width="30" height="30"><path fill="#5865f2" d="M6 2h8l6 6v12a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2z"/><path fill="#c9cdfb" d="M14 2v6h6z"/><path fill="#fff" d="M7 12h10v1.5H7zm0 3h10v1.5H7zm0 3h7v1.5H7z"/></svg>',
  eye: '<svg class="ico" viewBox="0 0 24 24" width="14" height="14"><path fill="currentColor" d="M12 5C6.5 5 2.7 9.3 1.5 12c1.2 2.7 5 7 10.5 7s9.3-4.3 10.5-7C21.3 9.3 17.5 5 12 5zm0 11a4 4 0 1 1 0-8 4 4 0 0 1 0 8zm0-2a2 2 0 1 0 0-4 2 2 0 0 0 0 4z"/></svg>',
};

const buttonStyles = { 1: "primary", 2: "secondary", 3: "success", 4: "danger", 5: "link" };

// ctx: { members, threads, onComponent(msg, comp, values), onOpenThread(id), onDismiss(id) }
// compact continues the previous message's group, as Discord shows
// messages of one author in a row.
export function renderMessage(msg, ctx, compact) {
  const frag = document.createDocumentFragment();
  if (msg.by && msg.by.command) {
    const who = ctx.members.find((m) => m.id === msg.by.user_id);
    const line = el("div", "reply-line");
    line.innerHTML = `↱ <b>${esc(who ? who.name : msg.by.user_id)}</b> used <span class="cmd">/${esc(msg.by.command)}</span>`;
    frag.append(line);
  }
  const row = el("article", "message" + (msg.ephemeral ? " ephemeral" : "") + (compact ? " compact" : ""));
  row.dataset.messageId = msg.id;
  const avatar = el("div", "avatar");
  avatar.textContent = compact ? "" : "CE";
  const body = el("div", "body");
  if (!compact) {
    const head = el("div", "msg-head");
    head.innerHTML = `<span class="author">Cloud Engine</span><span class="bot-tag">✓ App</span><span class="stamp">${esc(timeOf(msg.created_at))}</span>`;
    body.append(head);
  }
  if (msg.thinking) {
    body.append(text("div", "thinking", "Cloud Engine is thinking"));
  }
  if (msg.content) {
    const c = el("div", "content");
    c.innerHTML = markdown(msg.content, ctx.members) + (msg.edited ? '<span class="edited">(edited)</span>' : "");
    body.append(c);
  }
  for (const e of msg.embeds || []) body.append(renderEmbed(e, ctx));
  if ((msg.components || []).length) body.append(renderComponents(msg, ctx));
  for (const a of msg.attachments || []) body.append(renderFile(a));
  if (msg.thread) body.append(threadChip(msg.thread, ctx));
  if (msg.ephemeral) body.append(ephemeralNote(msg, ctx));
  row.append(avatar, body);
  frag.append(row);
  return frag;
}

function renderEmbed(e, ctx) {
  const box = el("div", "embed");
  const color = typeof e.color === "number" ? "#" + e.color.toString(16).padStart(6, "0") : "#1e1f22";
  box.style.borderLeftColor = color;
  if (e.title) box.append(html("div", "embed-title", markdown(e.title, ctx.members)));
  if (e.description) box.append(html("div", "embed-desc", markdown(e.description, ctx.members)));
  if ((e.fields || []).length) {
    const grid = el("div", "embed-fields");
    for (const f of e.fields) {
      const cell = el("div", "embed-field" + (f.inline ? " inline" : ""));
      cell.dataset.field = f.name;
      cell.append(html("div", "field-name", markdown(f.name, ctx.members)));
      cell.append(html("div", "field-value", markdown(f.value, ctx.members)));
      grid.append(cell);
    }
    box.append(grid);
  }
  if (e.footer && e.footer.text) box.append(text("div", "embed-footer", e.footer.text));
  return box;
}

function renderComponents(msg, ctx) {
  const wrap = el("div", "components");
  for (const row of msg.components) {
    const r = el("div", "row");
    for (const c of row.type === 1 ? row.components || [] : [row]) {
      if (c.type === 2) r.append(renderButton(msg, c, ctx));
      else if (c.type === 3) r.append(renderSelect(msg, c, ctx));
    }
    wrap.append(r);
  }
  return wrap;
}

function renderButton(msg, c, ctx) {
  if (c.style === 5) {
    const a = text("a", "btn secondary", c.label || "Link");
    a.href = c.url;
    a.target = "_blank";
    return a;
  }
  const b = text("button", "btn " + (buttonStyles[c.style] || "secondary"), (c.emoji && c.emoji.name ? c.emoji.name + " " : "") + (c.label || ""));
  b.dataset.customId = c.custom_id;
  b.disabled = !!c.disabled;
  b.addEventListener("click", () => ctx.onComponent(msg, c, null));
  return b;
}

function renderSelect(msg, c, ctx) {
  const s = el("select", "select");
  s.dataset.customId = c.custom_id;
  s.disabled = !!c.disabled;
  const ph = text("option", "", c.placeholder || "Make a selection");
  ph.value = "";
  ph.disabled = true;
  ph.selected = true;
  s.append(ph);
  for (const o of c.options || []) {
    const opt = text("option", "", o.label + (o.description && o.description !== o.label ? " — " + o.description : ""));
    opt.value = o.value;
    s.append(opt);
  }
  s.addEventListener("change", () => {
    const v = s.value;
    s.value = "";
    if (v) ctx.onComponent(msg, c, [v]);
  });
  return s;
}

function renderFile(a) {
  const box = el("div", "file");
  box.innerHTML = `<span class="icon">${icons.file}</span><div><a href="${esc(a.url)}" download="${esc(a.filename)}">${esc(a.filename)}</a><span class="size">${esc(size(a.size))}</span></div>`;
  return box;
}

function threadChip(id, ctx) {
  const t = ctx.threads.find((x) => x.id === id);
  const b = el("button", "thread-chip");
  b.dataset.threadId = id;
  const n = t ? t.messages.length : 0;
  b.innerHTML = `${icons.thread} ${esc(t ? t.name : "thread")} <span>${n} message${n === 1 ? "" : "s"} ›</span>`;
  b.addEventListener("click", () => ctx.onOpenThread(id));
  return b;
}

function ephemeralNote(msg, ctx) {
  const n = el("div", "ephemeral-note");
  n.innerHTML = `${icons.eye} Only you can see this • `;
  const b = text("button", "", "Dismiss message");
  b.addEventListener("click", () => ctx.onDismiss(msg.id));
  n.append(b);
  return n;
}

export function el(tag, cls) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  return e;
}

export function text(tag, cls, t) {
  const e = el(tag, cls);
  e.textContent = t;
  return e;
}

function html(tag, cls, h) {
  const e = el(tag, cls);
  e.innerHTML = h;
  return e;
}
