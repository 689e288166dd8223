// The playground page: one server, one channel, its threads; a user
// switcher; live updates by server-sent events.
import { el, icons, renderMessage, text } from "./render.js";
import { setupCommands } from "./commands.js";
import { openModal } from "./modal.js";

const state = { me: localStorage.getItem("pg-user") || "", view: null, thread: null, dismissed: new Set() };
const caches = new Map(); // container id → Map(message id → {json, node})

const app = {
  members: () => (state.view ? state.view.members : []),
  toast,
  interact,
};
const commands = setupCommands(app);

async function interact(req) {
  const body = { user_id: state.me, channel_id: req.channel_id, type: req.type, data: req.data, message: req.message };
  let reply;
  try {
    const r = await fetch("/playground/interact", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    reply = await r.json();
    if (!r.ok) throw new Error(reply.error || r.statusText);
  } catch (e) {
    toast("The playground could not deliver the interaction: " + e.message);
    return null;
  }
  if (reply.status !== 200) toast(`The service answered ${reply.status}: ${reply.data || ""}`);
  if (reply.error) toast("Discord would reject the service's answer: " + reply.error);
  if (reply.type === 9) openModal(reply.data, (data) => interact({ type: 5, data, message: req.message, channel_id: req.channel_id }));
  scheduleRefresh();
  return reply;
}

function onComponent(msg, comp, values) {
  const data = { custom_id: comp.custom_id, component_type: comp.type };
  if (values) data.values = values;
  interact({ type: 3, data, channel_id: msg.channel_id, message: { id: msg.id, channel_id: msg.channel_id, flags: msg.flags } });
}

let refreshing = null;
let again = false;
function scheduleRefresh() {
  if (refreshing) { again = true; return; }
  refreshing = setTimeout(async () => {
    try { await refresh(); } catch (e) { console.error(e); }
    refreshing = null;
    if (again) { again = false; scheduleRefresh(); }
  }, 40);
}

async function refresh() {
  const r = await fetch("/playground/state?user=" + encodeURIComponent(state.me));
  state.view = await r.json();
  render();
}

function render() {
  const v = state.view;
  document.getElementById("guild-name").textContent = v.guild.name;
  document.getElementById("guild-icon").title = v.guild.name;
  document.getElementById("channel-name").textContent = v.channel.name;
  document.getElementById("channel-name-side").textContent = v.channel.name;
  renderUsers(v.members);
  renderThreadList(v.threads);
  const ctx = { members: v.members, threads: v.threads, onComponent, onOpenThread: openThread, onDismiss: dismiss };
  renderList("messages", v.messages, ctx, welcome);
  const panel = document.getElementById("thread-panel");
  const t = v.threads.find((x) => x.id === state.thread);
  panel.hidden = !t;
  if (t) {
    document.getElementById("thread-title").textContent = t.name;
    renderList("thread-messages", t.messages, ctx, () => threadIntro(t));
  }
}

function renderList(id, messages, ctx, header) {
  const box = document.getElementById(id);
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  const cache = caches.get(id) || new Map();
  const next = new Map();
  const nodes = [header()];
  let prev = null;
  for (const m of messages) {
    if (state.dismissed.has(m.id)) continue;
    const compact = grouped(prev, m);
    prev = m;
    const json = JSON.stringify(m) + compact + ctx.threads.filter((t) => t.id === m.thread).map((t) => t.messages.length).join();
    let entry = cache.get(m.id);
    if (!entry || entry.json !== json) {
      const node = el("div", "msg-wrap");
      node.dataset.key = m.id;
      node.append(renderMessage(m, ctx, compact));
      entry = { json, node };
    }
    next.set(m.id, entry);
    nodes.push(entry.node);
  }
  const old = [...box.children];
  const same = old.length === nodes.length && old.slice(1).every((n, i) => n.dataset.key === nodes[i + 1].dataset.key);
  if (same) {
    old.forEach((n, i) => { if (i > 0 && n !== nodes[i]) n.replaceWith(nodes[i]); });
    old[0].replaceWith(nodes[0]);
  } else {
    box.replaceChildren(...nodes);
  }
  caches.set(id, next);
  if (atBottom) box.scrollTop = box.scrollHeight;
}

// grouped: Discord runs messages of one author within minutes together,
// unless a command's reply line separates them.
function grouped(prev, m) {
  return !!prev && !m.by?.command && !prev.ephemeral && !m.ephemeral &&
    new Date(m.created_at) - new Date(prev.created_at) < 7 * 60 * 1000;
}

function threadIntro(t) {
  const w = el("div", "welcome thread-intro");
  const icon = el("div", "thread-badge");
  icon.innerHTML = icons.thread;
  w.append(icon, text("h1", "", t.name));
  w.append(text("p", "", t.messages.length ? "Started by Cloud Engine on the lobby message." : "No messages yet."));
  return w;
}

function welcome() {
  const w = el("div", "welcome");
  w.append(text("h1", "", "Welcome to #" + state.view.channel.name + "!"));
  w.append(text("p", "", "This is the Cloud Engine playground: the real service, real terraform, and a stand-in for Discord. " +
    "Every command and click is a signed interaction sent to the service's /interactions endpoint."));
  w.append(text("p", "", "Ada is an administrator; Alice and Bob hold deploy on the sandbox project “demo”. Switch user at the bottom left."));
  const b = text("button", "btn primary try", "Try it: /cloud-deploy project:demo");
  b.addEventListener("click", () => commands.prefill("cloud-deploy", { project: "demo" }));
  w.append(b);
  return w;
}

function renderUsers(members) {
  const sel = document.getElementById("user-switch");
  if (!state.me || !members.some((m) => m.id === state.me)) state.me = members[1] ? members[1].id : members[0].id;
  if (sel.options.length !== members.length) {
    sel.replaceChildren(...members.map((m) => { const o = text("option", "", `${m.name} · ${m.role}`); o.value = m.id; return o; }));
  }
  sel.value = state.me;
  const me = members.find((m) => m.id === state.me);
  const av = document.getElementById("me-avatar");
  av.textContent = me.name[0];
  av.style.background = me.color;
}

function renderThreadList(threads) {
  const list = document.getElementById("thread-list");
  list.replaceChildren(...threads.map((t) => {
    const b = text("button", "thread-item" + (t.id === state.thread ? " active" : ""), t.name);
    b.dataset.threadId = t.id;
    b.title = t.name;
    b.addEventListener("click", () => openThread(t.id));
    return b;
  }));
}

function openThread(id) {
  state.thread = id;
  render();
  const box = document.getElementById("thread-messages");
  box.scrollTop = box.scrollHeight;
}

function dismiss(id) {
  state.dismissed.add(id);
  render();
}

function toast(msg) {
  const t = text("div", "toast", msg);
  document.getElementById("toasts").append(t);
  setTimeout(() => t.remove(), 6000);
}

document.getElementById("user-switch").addEventListener("change", (ev) => {
  state.me = ev.target.value;
  localStorage.setItem("pg-user", state.me);
  caches.clear();
  scheduleRefresh();
});
document.getElementById("thread-close").addEventListener("click", () => { state.thread = null; render(); });
document.getElementById("channel-link").addEventListener("click", () => { state.thread = null; render(); });

const live = document.getElementById("live");
const events = new EventSource("/playground/events");
events.addEventListener("hello", () => { live.className = "live"; live.textContent = "● live"; scheduleRefresh(); });
events.addEventListener("change", scheduleRefresh);
events.onerror = () => { live.className = "live off"; live.textContent = "● reconnecting"; };
scheduleRefresh();
