import { numbersIn } from "../src/provenance/numbers.ts";
for (const t of ["lr 1e-4 and 3.0e-5", "10^{-4}", "1 × 10^{−4}", "$3\\times10^{-4}$", "4,000 steps", "100K steps", "10% dropout", "7-10 responses", "dims 512,1024", "ResNet-50", "x = -0.5", "2.5×10^{−4}", "β2 = 0.98", "d_model = 512"]) console.log(t, "=>", numbersIn(t).map(m => `${m.value}${m.percent?"%":""}`).join(", "));
