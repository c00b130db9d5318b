import { writeFileSync } from "node:fs";
import { makeVitLikePdf } from "../test/support/make-vit-pdf.ts";
writeFileSync("/tmp/p2c/vit.pdf", await makeVitLikePdf({ referencesHeading: (process.argv[2] as any) ?? "none" }));
