import { describe, expect, it } from 'vitest';
import { describeContent, sniffImageType } from './image-type';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('sniffImageType', () => {
  it.each([
    ['JPEG', bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'), 'image/jpeg'],
    ['PNG', bytes([0x89], 'PNG\r\n\x1a\n', [0, 0, 0, 13], 'IHDR'), 'image/png'],
    ['lossy WebP', bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8 '), 'image/webp'],
    ['lossless WebP', bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8L'), 'image/webp'],
    ['extended WebP', bytes('RIFF', [0x24, 0, 0, 0], 'WEBPVP8X'), 'image/webp'],
  ])('knows %s by its magic number', (_name, input, type) => {
    expect(sniffImageType(input)).toBe(type);
  });

  it.each([
    ['empty', bytes()],
    ['two bytes of a JPEG', bytes([0xff, 0xd8])],
    ['a PNG signature cut short', bytes([0x89], 'PNG\r\n')],
    ['GIF', bytes('GIF89a', [1, 0, 1, 0])],
    ['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ['HTML', bytes('<!DOCTYPE html><html><script>alert(1)</script>')],
    ['PDF', bytes('%PDF-1.7\n')],
    ['WAV (RIFF, not WebP)', bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ')],
    ['RIFF WEBP with an unknown chunk', bytes('RIFF', [0x24, 0, 0, 0], 'WEBPXXXX')],
    ['a JPEG magic number that does not start the file', bytes(' ', [0xff, 0xd8, 0xff, 0xe0])],
  ])('refuses %s', (_name, input) => {
    expect(sniffImageType(input)).toBeNull();
  });
});

describe('describeContent', () => {
  it.each([
    [bytes(), 'an empty file'],
    [bytes('GIF87a'), 'a GIF image'],
    [bytes('%PDF-1.4'), 'a PDF document'],
    [bytes('  \n<svg width="1"/>'), 'an SVG image'],
    [bytes('<?xml version="1.0"?>\n<svg/>'), 'an SVG image'],
    [bytes([0xef, 0xbb, 0xbf], '<!doctype html><p>hi'), 'an HTML document'],
    [bytes('<html><body>'), 'an HTML document'],
    [bytes([0, 0, 0, 0x18], 'ftypheic'), 'a HEIC image'],
    [bytes([0, 0, 0, 0x18], 'ftypavif'), 'an AVIF image'],
    [bytes('BM', [0, 0]), 'a BMP image'],
    [bytes('hello world'), 'an unknown format'],
  ])('%#: says what the bytes are', (input, words) => {
    expect(describeContent(input)).toBe(words);
  });
});
