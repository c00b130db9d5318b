import { readFileSync, readdirSync } from "node:fs";
const dir = process.argv[2];
const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
const prof = JSON.parse(readFileSync(`${dir}/${file}`, "utf8"));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
// timeline: per 100ms window, dominant category
let t = 0; const windows = [];
const parent = new Map(); for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const cat = (id) => { for (let cur = id; cur !== undefined; cur = parent.get(cur)) { const u = byId.get(cur).callFrame.url; const m = /node_modules\/(@[^/]+\/[^/]+|[^/]+)/.exec(u); if (m) return m[1]; if (u.includes("/dist/")) return "p2c:" + u.split("/dist/")[1]; } return byId.get(id).callFrame.functionName || "(node)"; };
for (let i = 0; i < prof.samples.length; i++) { t += prof.timeDeltas[i]; const w = Math.floor(t / 100000); (windows[w] ??= new Map()); const k = cat(prof.samples[i]); windows[w].set(k, (windows[w].get(k) ?? 0) + prof.timeDeltas[i]); }
windows.forEach((m, i) => { const top = [...m].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([k, v]) => `${k} ${(v / 1000).toFixed(0)}`).join(", "); console.log(`${i * 100}ms: ${top}`); });
