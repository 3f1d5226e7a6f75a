/** Letters, combining marks, digits and connector punctuation (`_`): what a word is made of. */
const WORD_CHAR = String.raw`[\p{L}\p{M}\p{N}\p{Pc}]`;
const IS_WORD_CHAR = new RegExp(`^${WORD_CHAR}$`, 'u');
/** Scripts written without spaces between words: there a word can only be found as a substring. */
const UNSPACED_SCRIPT = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]$/u;
/** Characters with a meaning in a `u`-mode pattern (where escaping anything else is an error). */
const SYNTAX_CHARS = /[\\^$.*+?()[\]{}|/]/g;

/**
 * Both sides are normalised to NFKC, so composed and decomposed accents, full-width letters and
 * ligatures compare equal.
 */
function normalise(text: string): string {
  return text.normalize('NFKC');
}

/** Whether a banned word needs a word boundary next to this edge character. */
function needsBoundary(edge: string | undefined): boolean {
  return edge !== undefined && IS_WORD_CHAR.test(edge) && !UNSPACED_SCRIPT.test(edge);
}

function wordPattern(word: string): string {
  const body = word
    .split(/\s+/u)
    .map((part) => part.replace(SYNTAX_CHARS, String.raw`\$&`))
    .join(String.raw`\s+`);
  const chars = [...word];
  const before = needsBoundary(chars[0]) ? `(?<!${WORD_CHAR})` : '';
  const after = needsBoundary(chars.at(-1)) ? `(?!${WORD_CHAR})` : '';
  return `${before}(${body})${after}`;
}

/**
 * Finds banned words in a text: case-insensitive (Unicode simple case folding), whole words only
 * (`scam` is found in "a SCAM!" but not in "scampi"), for any script. Phrases match across any run
 * of whitespace. In scripts written without spaces (Chinese, Japanese, Thai, ...) a word boundary
 * cannot be seen, so a banned word written in them matches wherever it appears.
 *
 * Pure and synchronous: one regular expression, compiled once.
 */
export class BannedWordsMatcher {
  /** The banned words, normalised and de-duplicated, as they are reported. */
  readonly words: readonly string[];
  private readonly pattern: RegExp | undefined;
  /** Capture group number (1-based) to banned word. */
  private readonly byGroup: readonly string[];

  constructor(words: Iterable<string>) {
    const unique = new Map<string, string>();
    for (const raw of words) {
      const word = normalise(raw.trim());
      if (word.length > 0 && !unique.has(word.toLowerCase())) unique.set(word.toLowerCase(), word);
    }
    this.words = [...unique.values()];
    // Longest first, so that of "bad" and "bad word" the phrase wins where both match.
    this.byGroup = [...this.words].sort((a, b) => b.length - a.length);
    this.pattern = this.byGroup.length > 0 ? new RegExp(this.byGroup.map(wordPattern).join('|'), 'giu') : undefined;
  }

  /** The banned words found in `text`, each once, in order of first appearance. */
  findIn(text: string): string[] {
    if (!this.pattern || text.length === 0) return [];
    const found = new Set<string>();
    for (const match of normalise(text).matchAll(this.pattern)) {
      const group = match.findIndex((value, index) => index > 0 && value !== undefined);
      const word = this.byGroup[group - 1];
      if (word !== undefined) found.add(word);
    }
    return [...found];
  }
}
