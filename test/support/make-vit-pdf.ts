import PDFDocument from "pdfkit";

/**
 * A two-page paper set like an ICLR submission, for the layout tests: no outline,
 * bold numbered headings, accents drawn as separate glyphs ("Z¨urich"), a
 * hyperparameter table under its caption, a footnote and a conference footer at
 * the foot of page 1, a references list with no heading (or a plain, unbolded
 * "REFERENCES"), then appendix sections A and B.
 */
export async function makeVitLikePdf(options: { referencesHeading?: "none" | "plain" } = {}): Promise<Buffer> {
  const doc = new PDFDocument({ autoFirstPage: false, pdfVersion: "1.7", info: { Title: "" } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on("end", () => resolve()));
  const page = () => doc.addPage({ size: "LETTER", margins: { top: 72, bottom: 72, left: 72, right: 72 } });
  const body = (text: string) => doc.font("Times-Roman").fontSize(10).text(text, 72, doc.y, { width: 468, align: "justify" });
  const heading = (text: string) => {
    doc.moveDown(0.8);
    doc.font("Times-Bold").fontSize(12).text(text, 72, doc.y);
    doc.moveDown(0.3);
  };

  page();
  doc
    .font("Times-Bold")
    .fontSize(17)
    .text("An Image Is Worth 16x16 Words: Transformers for Image Recognition at Scale", 72, 80, { width: 468, align: "center" });
  doc
    .font("Times-Roman")
    .fontSize(10)
    .text("Google Research, Brain Team", 72, doc.y + 8, { width: 468, align: "center" });
  doc.y += 16;
  doc.font("Times-Bold").fontSize(11).text("Abstract", 72, doc.y, { width: 468, align: "center" });
  body(
    "While the Transformer architecture has become the de-facto standard for natural language processing tasks, its applications to computer vision remain limited.",
  );
  heading("1 Introduction");
  body(
    "Self-attention-based architectures, in particular Transformers, have become the model of choice in natural language processing. We split an image into patches and provide the sequence of linear embeddings of these patches as an input to a Transformer.",
  );
  // "ETH Zürich" with the diaeresis drawn as its own glyph over the u, as TeX sets \"u.
  doc.font("Times-Roman").fontSize(10);
  const y = doc.y + 4;
  const prefix = "Part of this work was done at ETH Z";
  doc.text(prefix, 72, y, { lineBreak: false });
  const ux = 72 + doc.widthOfString(prefix);
  doc.text("urich", ux, y, { lineBreak: false });
  doc.text("¨", ux + (doc.widthOfString("u") - doc.widthOfString("¨")) / 2, y - 0.5, { lineBreak: false });
  doc.text(" in the summer of 2020.", ux + doc.widthOfString("urich"), y, { lineBreak: false });
  doc.y = y + 14;
  heading("2 Method");
  body(
    "We follow the original Transformer as closely as possible. The model variants are listed in Table 1. We train all models with Adam with beta1 = 0.9 and a batch size of 4096.",
  );
  doc.moveDown(0.8);
  body("Table 1: Details of Vision Transformer model variants.");
  doc.moveDown(0.6);
  const columns = [72, 170, 230, 300, 370, 440];
  const rows = [
    ["Model", "Layers", "Hidden size D", "MLP size", "Heads", "Params"],
    ["ViT-Base", "12", "768", "3072", "12", "86M"],
    ["ViT-Large", "24", "1024", "4096", "16", "307M"],
    ["ViT-Huge", "32", "1280", "5120", "16", "632M"],
  ];
  for (const row of rows) {
    const rowY = doc.y;
    row.forEach((cell, c) => doc.font("Times-Roman").fontSize(9).text(cell, columns[c]!, rowY, { lineBreak: false }));
    doc.y = rowY + 12;
  }
  doc.moveDown(0.8);
  body("We use a patch size of 16 for all variants, and a resolution of 224 for pre-training.");
  // The foot of page 1: a footnote and the venue line, in a smaller font.
  doc
    .font("Times-Roman")
    .fontSize(8)
    .text("1 Fine-tuning code and pre-trained models are available at https://github.com/google-research/vision_transformer", 72, 676, {
      width: 468,
    });
  doc.text("Published as a conference paper at ICLR 2021", 72, 700, { width: 468, lineBreak: false });

  page();
  heading("3 Experiments");
  body("We pre-train on ImageNet-21k for 90 epochs with a learning rate of 0.001 and a linear warmup of 10k steps.");
  heading("4 Conclusion");
  body(
    "We have explored the direct application of Transformers (Vaswani et al., 2017) to image recognition. While these initial results are encouraging, many challenges remain.",
  );
  doc.moveDown(1);
  if (options.referencesHeading === "plain") {
    doc.font("Times-Roman").fontSize(10).text("REFERENCES", 72, doc.y);
    doc.moveDown(0.3);
  }
  for (const entry of [
    "Samira Abnar and Willem Zuidema. Quantifying attention flow in transformers. In ACL, 2020.",
    "Philip Bachman, R Devon Hjelm, and William Buchwalter. Learning representations by maximizing mutual information across views. In NeurIPS, 2019.",
    "Bello, I., Zoph, B., Le, Q., Vaswani, A., and Shlens, J. Attention augmented convolutional networks. In ICCV, 2019.",
    "Beyer, L., Henaff, O. J., Kolesnikov, A., Zhai, X., and van den Oord, A. Are we done with ImageNet? arXiv, 2020.",
    "Brown, T. B., Mann, B., Ryder, N., et al. Language models are few-shot learners. arXiv, 2020.",
    "Carion, N., Massa, F., Synnaeve, G., et al. End-to-end object detection with transformers. In ECCV, 2020.",
    "Chen, M., Radford, A., Child, R., et al. Generative pretraining from pixels. In ICML, 2020.",
    "Devlin, J., Chang, M.-W., Lee, K., and Toutanova, K. BERT: Pre-training of deep bidirectional transformers. In NAACL, 2019.",
    "He, K., Zhang, X., Ren, S., and Sun, J. Deep residual learning for image recognition. In CVPR, 2016.",
  ]) {
    doc.font("Times-Roman").fontSize(9).text(entry, 72, doc.y, { width: 468, indent: 0 });
    doc.moveDown(0.4);
  }
  heading("A Multihead Self-Attention");
  body("Standard qkv self-attention is a popular building block for neural architectures.");
  heading("B Experiment Details");
  body("We use a dropout of 0.1 and weight decay of 0.1 for pre-training, with batch size 4096.");
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
