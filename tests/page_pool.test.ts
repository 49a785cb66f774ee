/**
 * A worker's layout pages (src/targets/pdf/layout.ts PagePool), real Chromium: at most two pages
 * (one laid out while the other prints), a third layout waits for one to come back, and a page
 * discarded after a failed layout is replaced for whoever waits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChrome, launchChrome, type RunningBrowser } from '../src/targets/pdf/chrome.js';
import { PagePool } from '../src/targets/pdf/layout.js';
import { counts } from '../src/util/timing.js';

let running: RunningBrowser;
beforeAll(async () => {
  running = await launchChrome(findChrome(undefined), 30_000);
}, 60_000);
afterAll(async () => {
  await running?.close();
});

const opened = () => counts()['pdf-pages-opened'] ?? 0;
const settledWithin = <T>(p: Promise<T>, ms: number) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

describe('page pool', () => {
  it('holds two pages at most: a third layout waits for one to be given back, and gets that one', async () => {
    const before = opened();
    const pool = await PagePool.warm(running.browser);
    const a = await pool.take();
    const b = await pool.take();
    expect(b).not.toBe(a);
    const third = pool.take();
    expect(await settledWithin(third, 500)).toBe(false);
    pool.give(a);
    expect(await third).toBe(a);
    expect(opened() - before).toBe(2);
    await pool.close();
  }, 30_000);

  it('replaces a discarded page for a layout that waits', async () => {
    const before = opened();
    const pool = await PagePool.warm(running.browser);
    const a = await pool.take();
    await pool.take();
    const third = pool.take();
    await pool.discard(a);
    const c = await third;
    expect(c).not.toBe(a);
    expect(c.isClosed()).toBe(false);
    expect(a.isClosed()).toBe(true);
    expect(opened() - before).toBe(3);
    await pool.close();
  }, 30_000);
});
