import PDFDocument from "pdfkit";

export interface TestPdfOptions {
  title?: string;
  sections?: { heading: string; text: string }[];
  outline?: boolean;
  userPassword?: string;
  /** A rotated arXiv-style stamp in the left margin of every page. */
  stamp?: string;
  /** A running header on every page. */
  header?: string;
  /** Draw shapes only, no text: what a scanned paper without OCR looks like to a text extractor. */
  noText?: boolean;
  references?: string[];
}

/** Make a small paper-like PDF for tests (PDFKit, standard fonts). */
export async function makePdf(options: TestPdfOptions = {}): Promise<Buffer> {
  const doc = new PDFDocument({
    autoFirstPage: false,
    pdfVersion: "1.7",
    info: { Title: options.title ?? "" },
    ...(options.userPassword ? { userPassword: options.userPassword, ownerPassword: `${options.userPassword}-owner` } : {}),
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on("end", () => resolve()));
  let pageNumber = 0;
  const newPage = () => {
    doc.addPage({ size: "LETTER", margins: { top: 72, bottom: 72, left: 72, right: 72 } });
    pageNumber++;
    if (options.noText) return;
    if (options.header) doc.font("Helvetica").fontSize(8).text(options.header, 72, 40, { lineBreak: false });
    doc.font("Helvetica").fontSize(9).text(String(pageNumber), 300, 750, { lineBreak: false });
    if (options.stamp) {
      doc
        .save()
        .rotate(-90, { origin: [30, 500] })
        .font("Helvetica")
        .fontSize(14)
        .text(options.stamp, 30, 500, { lineBreak: false })
        .restore();
    }
    doc.x = 72;
    doc.y = 72;
  };
  newPage();
  if (options.noText) {
    for (let i = 0; i < 30; i++) doc.rect(72, 72 + i * 20, 400 - i * 5, 12).fill("#333333");
  } else {
    doc
      .font("Helvetica-Bold")
      .fontSize(18)
      .text(options.title ?? "Untitled", { align: "center" });
    doc.moveDown();
    doc.font("Helvetica-Bold").fontSize(11).text("Abstract");
    doc.font("Helvetica").fontSize(10).text("We present a method and measure it carefully on small data.");
    for (const section of options.sections ?? []) {
      if (doc.y > 600) newPage();
      doc.moveDown();
      if (options.outline) doc.outline.addItem(section.heading.replace(/^\d+(\.\d+)*\s+/, ""));
      doc.font("Helvetica-Bold").fontSize(12).text(section.heading);
      doc.font("Helvetica").fontSize(10).text(section.text, { align: "justify" });
    }
    if (options.references?.length) {
      if (doc.y > 600) newPage();
      doc.moveDown();
      doc.font("Helvetica-Bold").fontSize(12).text("References");
      doc.font("Helvetica").fontSize(10);
      options.references.forEach((r, i) => doc.text(`[${i + 1}] ${r}`));
    }
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

export const LOREM =
  "The model maps each input to a hidden representation and trains with gradient descent on the loss in Equation 1. " +
  "We use a learning rate of 0.001, a batch size of 32 and train for 100 epochs on the training split. ";
