import { composeAccents } from "../src/paper/pdf/glyphs.ts";
console.log(JSON.stringify(composeAccents("ETH Z¨urich, Universit´e de Montr´eal, Sch¨olkopf, c¸a")));
