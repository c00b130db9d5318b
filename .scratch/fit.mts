import { loadPaper } from "../src/paper/load.ts";
import { fitPaperToBudget } from "../src/paper/budget.ts";
const papers = ["papers/attention_1706.03762.pdf","papers/resnet_1512.03385.pdf","papers/bert_1810.04805.pdf","papers/distill_1503.02531.pdf","papers/deepseek_v3.pdf","papers/audio_style_transfer.pdf","papers/latex/transformer_arxiv_src.tar.gz","paperbench/mechanistic-understanding/paper.md","paperbench/mechanistic-understanding/paper.pdf","paperbench/mechanistic-understanding/paper-latex.tar.gz","paperbench/robust-clip/paper.md","paperbench/stochastic-interpolants/paper.md"];
console.log("| paper | main | appendix (sections) | sent at 120k | dropped at 120k | dropped at 24k (local) |");
for (const p of papers) {
  const paper = await loadPaper(`../shared/${p}`);
  const a = fitPaperToBudget(paper, 120000);
  const b = fitPaperToBudget(paper, 24000);
  const tables = paper.warnings.find((w) => w.startsWith("rebuilt"))?.match(/\d+/)?.[0] ?? "0";
  console.log(`| ${p} | ${a.sent.main} | ${a.sent.appendix} (${a.sent.appendixSections}) | ${a.tokens} | ${a.dropped.join("; ") || "nothing"} | ${b.dropped.length ? b.dropped.slice(0,6).join("; ") + (b.dropped.length > 6 ? ` (+${b.dropped.length - 6} more)` : "") : "nothing"} | tables ${tables}`);
}
