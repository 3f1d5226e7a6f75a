import { describe, expect, it } from '@jest/globals';
import { BannedWordsMatcher } from './banned-words.matcher.js';

describe('BannedWordsMatcher', () => {
  const matcher = new BannedWordsMatcher(['scam', 'Crème', 'мошенник', 'free money', '诈骗', 'c++', 'spam']);

  it('finds a banned word, whatever its case', () => {
    expect(matcher.findIn('This is a SCAM!')).toEqual(['scam']);
    expect(matcher.findIn('Scam.')).toEqual(['scam']);
  });

  it('matches whole words only', () => {
    expect(matcher.findIn('scampi and scammer and spamming')).toEqual([]);
    expect(matcher.findIn('anti-scam')).toEqual(['scam']);
    expect(matcher.findIn('scam_bot scam2')).toEqual([]);
  });

  it('is Unicode-aware: non-Latin letters are word characters and case folds', () => {
    expect(matcher.findIn('Он МОШЕННИК, осторожно')).toEqual(['мошенник']);
    expect(matcher.findIn('мошенники')).toEqual([]);
    expect(matcher.findIn('CRÈME brûlée')).toEqual(['Crème']);
    // "é" next to a banned word is a letter, not a boundary.
    expect(matcher.findIn('scamé')).toEqual([]);
  });

  it('compares composed and decomposed accents alike', () => {
    const decomposed = 'Cre\u0300me';
    expect(decomposed).not.toBe('Crème');
    expect(matcher.findIn(decomposed)).toEqual(['Crème']);
    expect(new BannedWordsMatcher([decomposed]).findIn('crème')).toEqual(['Crème']);
  });

  it('folds full-width letters (NFKC)', () => {
    expect(matcher.findIn('ＳＣＡＭ')).toEqual(['scam']);
  });

  it('matches phrases across any whitespace', () => {
    expect(matcher.findIn('get FREE\n  money now')).toEqual(['free money']);
    expect(matcher.findIn('free moneybags')).toEqual([]);
  });

  it('finds words of unspaced scripts inside a sentence', () => {
    expect(matcher.findIn('这是诈骗信息')).toEqual(['诈骗']);
  });

  it('escapes regular-expression characters in the list', () => {
    expect(matcher.findIn('I write C++ daily')).toEqual(['c++']);
    expect(matcher.findIn('I write c daily')).toEqual([]);
  });

  it('reports each word once, in order of first appearance', () => {
    expect(matcher.findIn('spam, scam, SPAM and scam')).toEqual(['spam', 'scam']);
  });

  it('prefers the longest phrase where several overlap', () => {
    const overlapping = new BannedWordsMatcher(['bad', 'bad word']);
    expect(overlapping.findIn('a bad word')).toEqual(['bad word']);
    expect(overlapping.findIn('a bad day')).toEqual(['bad']);
  });

  it('de-duplicates the list case-insensitively and ignores blank entries', () => {
    expect(new BannedWordsMatcher(['Spam', 'spam', ' ', '']).words).toEqual(['Spam']);
  });

  it('finds nothing with an empty list or an empty text', () => {
    expect(new BannedWordsMatcher([]).findIn('anything at all')).toEqual([]);
    expect(matcher.findIn('')).toEqual([]);
  });
});
