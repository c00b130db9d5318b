import type { Command } from "commander";
import { examples, number } from "../options.js";

export function registerIngest(program: Command) {
  program
    .command("ingest")
    .description("print the paper as the agents read it (Markdown), or its structure (--json)")
    .argument("<paper...>", "PDF, LaTeX (.tex, folder or .tar.gz), Markdown, text or PaperCoder JSON")
    .option(
      "--json",
      "print the structure as JSON: title, abstract, sections, captions, references, appendix, boilerplate, tokens, sent, warnings",
    )
    .option("--password <password>", "password of an encrypted PDF")
    .option("--no-appendix", "leave the appendix out of the Markdown")
    .option(
      "--token-budget <n>",
      "reduce the Markdown to this many tokens, as a run would",
      number("--token-budget", { integer: true, min: 1000 }),
    )
    .addHelpText(
      "after",
      examples(
        "paper2code ingest paper.pdf | less",
        "paper2code ingest paper.tar.gz --json",
        "paper2code ingest paper.pdf --token-budget 24000",
      ),
    )
    .action(async (paths: string[], options: { json?: boolean; password?: string; appendix: boolean; tokenBudget?: number }) => {
      // Loaded on demand, as for the other commands: the tokenizer's tables alone take a tenth of a second.
      const [{ loadPaper }, { describeFit, fitPaperToBudget }] = await Promise.all([
        import("../../paper/load.js"),
        import("../../paper/budget.js"),
      ]);
      const paper = await loadPaper(paths, { password: options.password });
      const budget = options.tokenBudget ?? Number.MAX_SAFE_INTEGER;
      const fitted = fitPaperToBudget(paper, budget, { includeAppendix: options.appendix });
      paper.warnings.push(...describeFit(paper, fitted, budget));
      process.stdout.write(
        options.json
          ? `${JSON.stringify({ ...paper, sent: { tokens: fitted.tokens, ...fitted.sent, dropped: fitted.dropped } }, null, 2)}\n`
          : fitted.markdown,
      );
      const n = (v: number) => v.toLocaleString("en");
      process.stderr.write(
        `sent to the agents: ${n(fitted.tokens)} tokens (main text ${n(fitted.sent.main)}, appendix ${n(fitted.sent.appendix)} in ${fitted.sent.appendixSections} sections)\n`,
      );
      for (const warning of paper.warnings) process.stderr.write(`warning: ${warning}\n`);
    });
}
