// Types of browser.mjs for the TypeScript tests that use it.
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';

export const CHROMIUM: string;
export interface Browser {
  ctx: BrowserContext;
  profile: string;
  close: () => Promise<void>;
}
export function openBrowser(options?: BrowserContextOptions): Promise<Browser>;
export function openPage(ctx: BrowserContext, file: string): Promise<{ page: Page; problems: string[] }>;
export function measureOpen(
  b: Browser,
  file: string,
  n: number,
): Promise<{ cpu: number[]; wall: number[]; problems: string[] }>;
export function median(xs: number[]): number;
