import { readFileSync, readdirSync } from "node:fs";
const dir = process.argv[2];
const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
const prof = JSON.parse(readFileSync(`${dir}/${file}`, "utf8"));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
// attribute each sample to the first "interesting" frame up the stack from the project or packages
const bucket = new Map();
const pick = (id) => {
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const url = byId.get(cur).callFrame.url;
    const m = /node_modules\/(@[^/]+\/[^/]+|[^/]+)/.exec(url);
    if (m) return m[1];
    if (url.includes("/dist/")) return "paper2code:" + url.split("/dist/")[1].split("/").slice(0, 2).join("/");
  }
  return byId.get(id).callFrame.functionName || "(node)";
};
for (const [id, t] of self) { const k = pick(id); bucket.set(k, (bucket.get(k) ?? 0) + t); }
for (const [k, t] of [...bucket].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log((t / 1000).toFixed(0).padStart(6), k);
