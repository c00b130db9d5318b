import { readFileSync } from "node:fs";
import { pythonParser } from "../src/checks/python.ts";
const p = (await pythonParser())!;
const src = readFileSync(process.argv[2]!, "utf8");
console.log(src.length, "chars", src.split("\n").length, "lines");
for (let i = 0; i < 3; i++) { const t = Date.now(); const tree = p.parse(src); console.log("parse", Date.now() - t, "ms"); const t2 = Date.now(); let n = 0; const visit = (x: any) => { n++; for (const c of x.namedChildren) visit(c); }; visit(tree!.rootNode); console.log("walk", n, "nodes", Date.now() - t2, "ms"); tree?.delete(); }
console.log(JSON.stringify(src.slice(0, 300)));
