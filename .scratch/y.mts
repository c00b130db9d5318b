import { parseDocument, isMap, isSeq, isScalar, isPair } from "yaml";
const text = `# top comment
training:
  lr: 1.0e-4  # Section 5.3
  # Table 3
  steps: 100000
  betas: [0.9, 0.98]  # Section 5.3 (Adam)
  list:
    - 7   # Appendix I.1
    - 10
  seed: 42  # not in the paper: implementer's choice
model:
  d_model: 512 # Table 3
smoke:
  training.steps: 2  # smoke test only
`;
const doc = parseDocument(text);
function walk(node: any, path: string[]) {
  if (isMap(node)) for (const pair of node.items) { const k = String((pair.key as any).value); console.log("pair", [...path,k].join("."), "keyBefore", JSON.stringify((pair.key as any)?.commentBefore), "valComment", JSON.stringify(pair.value?.comment), "valBefore", JSON.stringify(pair.value?.commentBefore), "range", pair.value?.range); walk(pair.value, [...path, k]); }
  else if (isSeq(node)) node.items.forEach((it: any, i: number) => { console.log("item", i, JSON.stringify(it.comment), JSON.stringify(it.commentBefore)); walk(it, [...path, String(i)]); });
}
walk(doc.contents, []);
