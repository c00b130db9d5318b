import { pythonParser } from "../src/checks/python.ts";
const p = (await pythonParser())!;
const line = "# The method scores every sampled response by how far its embedding lies from the others.\n";
for (const n of [100, 400, 1600]) {
  const src = line.repeat(n) + "def f(config):\n    return config['a']\n";
  const t = Date.now(); const tree = p.parse(src); const ms = Date.now() - t; tree?.delete();
  console.log(n, "lines", src.length, "chars", ms, "ms");
}
