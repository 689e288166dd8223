// The subset of Discord markdown the service writes: code blocks, inline
// code, bold, italics, links, mentions and timestamps.

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

export { esc };

export function markdown(text, members) {
  if (!text) return "";
  const blocks = [];
  // Code blocks first, so nothing inside them is formatted.
  let s = String(text).replace(/```(?:[a-z0-9+-]*\n)?([\s\S]*?)```/g, (_, code) => {
    blocks.push(`<pre><code>${esc(code.replace(/\n$/, ""))}</code></pre>`);
    return `\u0000${blocks.length - 1}\u0000`;
  });
  s = esc(s);
  s = s.replace(/`([^`\n]+)`/g, (_, c) => `<code>${c}</code>`);
  s = s.replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
  s = s.replace(/(^|[^*\w])\*([^*\n]+)\*(?!\w)/g, "$1<em>$2</em>");
  s = s.replace(/__([^_]+)__/g, "<u>$1</u>");
  s = s.replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>');
  s = s.replace(/&lt;@!?(\d+)&gt;/g, (_, id) => {
    const m = members.find((x) => x.id === id);
    return `<span class="mention">@${esc(m ? m.name : id)}</span>`;
  });
  s = s.replace(/&lt;t:(\d+)(?::([tTdDfFR]))?&gt;/g, (_, unix, style) => {
    const d = new Date(Number(unix) * 1000);
    const txt = style === "R" ? relative(d) : d.toLocaleString();
    return `<span class="mention" title="${esc(d.toString())}">${esc(txt)}</span>`;
  });
  s = s.replace(/\n/g, "<br>");
  return s.replace(/\u0000(\d+)\u0000/g, (_, i) => blocks[Number(i)]);
}

function relative(d) {
  const secs = Math.round((d.getTime() - Date.now()) / 1000);
  const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  const units = [["day", 86400], ["hour", 3600], ["minute", 60], ["second", 1]];
  for (const [unit, n] of units) {
    if (Math.abs(secs) >= n || unit === "second") return rtf.format(Math.round(secs / n), unit);
  }
  return "";
}

export function timeOf(iso) {
  const d = new Date(iso);
  const today = new Date().toDateString() === d.toDateString();
  const t = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return today ? `Today at ${t}` : `${d.toLocaleDateString()} ${t}`;
}

export function size(n) {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(2)} KB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}
