import { loadPaper } from "../src/paper/load.ts";
import { PaperIndex } from "../src/provenance/paper-index.ts";
import { checkProvenance } from "../src/provenance/check.ts";
const paper = await loadPaper("examples/xor-perceptron.md");
const index = new PaperIndex(paper);
console.log(JSON.stringify(index.text));
console.log((index as any).sections, (index as any).captions);
console.log(index.occurrences(0), index.occurrences(4), index.resolve({kind:"section", id:"3", text:""}));
console.log(index.placeAt(index.occurrences(0.5)[0]!), (index as any).floatAround((index as any).captions[0].index));
