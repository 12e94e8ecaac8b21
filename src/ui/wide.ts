// The two libraries that measure and wrap any text as a terminal shows it. wrap.ts reaches them
// only for text its own narrow path does not cover; the bundle loads them at that first use
// (LAZY in scripts/build.mjs).
export { default as stringWidth } from 'string-width';
export { default as wrapAnsi } from 'wrap-ansi';
