/**
 * Numbers as papers and configs write them, reduced to one value each:
 * 1e-4 = 1.0e-4 = 10^-4 = 10^{-4} = 1 × 10^{-4} = 0.0001; "4,000" = 4000 = 4k;
 * 100K steps = 100000; 10% = 0.1 (and 10).
 */

export interface NumberMention {
  value: number;
  /** Where in the text it starts. */
  index: number;
  text: string;
  percent: boolean;
}

const MINUS = "[-−–]";
const MANTISSA = `(?:\\d+(?:\\.\\d+)?|\\.\\d+)`;
const TIMES_TEN = `(${MANTISSA})\\s*(?:×|x|\\\\times|\\*|·|\\\\cdot)\\s*10\\s*\\^?\\s*\\{?\\s*(${MINUS}?\\s*\\d+)\\s*\\}?`;
const TEN_POWER = `(?<![\\d.])10\\s*\\^\\s*\\{?\\s*(${MINUS}?\\s*\\d+)\\s*\\}?`;
const SCIENTIFIC = `(${MANTISSA})\\s?[eE]\\s?([-−+]?\\d+)(?![A-Za-z])`;
const PLAIN = `(\\d{1,3}(?:,\\d{3})+(?!\\d)(?:\\.\\d+)?|\\d+(?:\\.\\d+)?|\\.\\d+)(?:\\s?([kKMB])(?![A-Za-z]))?(\\s?%)?`;
const NUMBER = new RegExp(`(${MINUS})?(?:${TIMES_TEN}|${TEN_POWER}|${SCIENTIFIC}|${PLAIN})`, "g");

const SUFFIX: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6, B: 1e9 };
const exponent = (text: string) => Number(text.replace(/\s+/g, "").replace(/[−–]/, "-"));

/** Every number in a text, in order, with what it stands for. */
export function numbersIn(text: string): NumberMention[] {
  const mentions: NumberMention[] = [];
  NUMBER.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = NUMBER.exec(text))) {
    const [all, minus, timesMantissa, timesExp, powerExp, sciMantissa, sciExp, plain, suffix, percent] = m;
    // A hyphen between two words or numbers ("7-10", "ResNet-50") is not a minus sign.
    const signed = minus !== undefined && !/[\w)]/.test(text[m.index - 1] ?? "");
    const sign = signed ? -1 : 1;
    let value: number;
    if (timesMantissa !== undefined) value = Number(`${timesMantissa}e${exponent(timesExp!)}`);
    else if (powerExp !== undefined) value = Number(`1e${exponent(powerExp)}`);
    else if (sciMantissa !== undefined) value = Number(`${sciMantissa}e${exponent(sciExp!)}`);
    else value = Number(plain!.replace(/,/g, "")) * (suffix ? SUFFIX[suffix]! : 1);
    if (!Number.isFinite(value)) continue;
    mentions.push({ value: sign * value, index: m.index + (minus && !signed ? minus.length : 0), text: all, percent: Boolean(percent) });
  }
  return mentions;
}

export function sameNumber(a: number, b: number): boolean {
  if (a === b) return true;
  const scale = Math.max(Math.abs(a), Math.abs(b));
  return scale > 0 && Math.abs(a - b) <= 1e-9 * scale;
}

/** Whether a mention in the paper states this value (10% states 0.1 and 10). */
export function mentionStates(mention: NumberMention, value: number): boolean {
  return sameNumber(mention.value, value) || (mention.percent && sameNumber(mention.value / 100, value));
}

/** A config value read as a number, when it is one ("1e-4" written as a string too). */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value !== "string") return undefined;
  const mentions = numbersIn(value.trim());
  return mentions.length === 1 && mentions[0]!.text.trim() === value.trim() ? mentions[0]!.value : undefined;
}
