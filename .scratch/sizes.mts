import { realisticSizes } from "../test/fixtures/realistic-run.ts";
console.log(realisticSizes());
